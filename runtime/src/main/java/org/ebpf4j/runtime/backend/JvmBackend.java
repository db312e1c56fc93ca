package org.ebpf4j.runtime.backend;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.helpers.PacketHelpers;
import org.ebpf4j.runtime.helpers.ProbeReadHelpers;
import org.ebpf4j.runtime.helpers.ProcessHelpers;
import org.ebpf4j.runtime.helpers.SpinLockHelpers;
import org.ebpf4j.runtime.helpers.StringHelpers;
import org.ebpf4j.runtime.helpers.SimpleHelpers;
import org.ebpf4j.runtime.helpers.TraceSink;
import org.ebpf4j.runtime.maps.EventHelpers;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.maps.JvmPerfBufferReader;
import org.ebpf4j.runtime.maps.JvmRingBufferReader;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.maps.MapTable;
import org.ebpf4j.runtime.maps.StackHelpers;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.helper.HelperPrototype;

/**
 * Loads collections into this JVM: maps from {@link JvmMaps} (global data and {@code .kconfig} included), map
 * references resolved at load ({@link MapTable#forProgram}), the map helpers and {@link SimpleHelpers}, each
 * program prepared by an {@link Engine}. Immutable; {@code with...} returns a changed copy.
 *
 * <p>Programs are verified first ({@link ProgramVerification}) unless {@link LoadOptions#unverified()} says
 * otherwise; what ebpf4j's verifier cannot check yet is refused, never run unproven by default. Prog arrays and maps
 * of maps get their slots as libbpf fills them ({@link CollectionSlots}). Not yet: CO-RE relocations (they need the
 * target BTF of the JVM's contexts).
 */
public final class JvmBackend implements Backend {
    /**
     * Backward jumps after which an unverified program is stopped: nothing has proven that it terminates, and a
     * runaway loop must not hang the caller. Verified programs run without a budget.
     */
    public static final long UNVERIFIED_BACKWARD_JUMP_LIMIT = 1L << 26;

    private final Engine engine;
    private final int cpus;
    private final TraceSink traceSink;
    /** The application's own helpers: their prototypes for the verifier, their code for the engines. */
    private final Map<Integer, HelperPrototype> javaPrototypes;
    private final HelperRegistry javaHelpers;

    private JvmBackend(Engine engine, int cpus, TraceSink traceSink, Map<Integer, HelperPrototype> javaPrototypes,
                       HelperRegistry javaHelpers) {
        if (cpus < 1) {
            throw new IllegalArgumentException("at least one CPU, not " + cpus);
        }
        this.engine = Objects.requireNonNull(engine);
        this.cpus = cpus;
        this.traceSink = Objects.requireNonNull(traceSink);
        this.javaPrototypes = Map.copyOf(javaPrototypes);
        this.javaHelpers = javaHelpers;
    }

    /** The interpreter, one per-CPU slot per available processor, {@code bpf_trace_printk} to standard error. */
    public JvmBackend() {
        this(Engine.INTERPRETER, JvmMaps.defaultCpus(), TraceSink.standardError(), Map.of(), HelperRegistry.empty());
    }

    public JvmBackend withCpus(int count) {
        return new JvmBackend(engine, count, traceSink, javaPrototypes, javaHelpers);
    }

    public JvmBackend withTraceSink(TraceSink sink) {
        return new JvmBackend(engine, cpus, sink, javaPrototypes, javaHelpers);
    }

    public JvmBackend withEngine(Engine e) {
        return new JvmBackend(e, cpus, traceSink, javaPrototypes, javaHelpers);
    }

    /**
     * This backend with one more helper of the application's own, which programs of every type may call as
     * {@code call prototype.id()}: the verifier checks each call against {@code prototype} (so the helper receives
     * only what its prototype promises: in-bounds initialised memory of the stated size, the context, a map), and
     * the engines call {@code helper}. A program that calls it loads on this backend only; the kernel knows no such
     * helper ({@code invalid func unknown#id}).
     *
     * <pre>{@code
     * var sum = HelperPrototype.custom(1000, "sum_bytes", ReturnSpec.of(ReturnType.INTEGER),
     *         ArgSpec.of(ArgType.PTR_TO_MEM, TypeFlag.MEM_RDONLY), ArgSpec.of(ArgType.CONST_SIZE));
     * backend = backend.withHelper(sum, (context, r1, r2, r3, r4, r5) -> ...);
     * }</pre>
     *
     * @throws IllegalArgumentException when the id is one of the kernel's helpers (see {@link HelperPrototype#custom})
     */
    public JvmBackend withHelper(HelperPrototype prototype, Helper helper) {
        if (prototype.kernelHelper().isPresent() || prototype.id() < HelperFunction.maxId()) {
            throw new IllegalArgumentException(prototype.displayName() + " is the kernel's helper id: Java helpers"
                    + " take ids from " + HelperFunction.maxId() + " (HelperPrototype.custom)");
        }
        Map<Integer, HelperPrototype> prototypes = new HashMap<>(javaPrototypes);
        prototypes.put(prototype.id(), prototype);
        return new JvmBackend(engine, cpus, traceSink, prototypes,
                javaHelpers.with(prototype.id(), prototype.name(), helper));
    }

    @Override
    public String name() {
        return "jvm";
    }

    /** The helpers every program of this backend may call. */
    public HelperRegistry helpers() {
        HelperRegistry helpers = MapHelpers.register(SimpleHelpers.register(HelperRegistry.empty(), traceSink));
        helpers = StackHelpers.register(EventHelpers.register(SpinLockHelpers.register(ProbeReadHelpers.register(
                StringHelpers.register(ProcessHelpers.register(helpers))))));
        return helpers.withAll(javaHelpers);
    }

    /** The helpers a program of {@code type} may call: {@link #helpers()} and the type's packet helpers. */
    public HelperRegistry helpers(ProgramType type) {
        return PacketHelpers.register(helpers(), type);
    }

    @Override
    public Collection load(CollectionSpec spec, LoadOptions options) {
        for (ProgramSpec p : spec.programs().values()) {
            if (!p.coreRelocations().isEmpty()) {
                throw new BpfException("program '" + p.name() + "' has " + p.coreRelocations().size()
                        + " CO-RE relocations: the JVM backend has no target BTF for them yet");
            }
        }
        Map<String, MapSpec> created = ProgramVerification.mapsAsCreated(spec, options.kconfig());
        // Before any map exists: a rejected collection leaves nothing behind. The facts go to the JIT.
        Map<String, Verdict.Accepted> verdicts = new LinkedHashMap<>();
        if (options.verify()) {
            // Before any map exists: a rejected collection leaves nothing behind.
            spec.programs().values().forEach(p -> verdicts.put(p.name(), ProgramVerification.verify(p, created,
                    spec.btf(), javaPrototypes.values(), options.logLevel())));
        }
        Map<String, JvmMap> maps = new LinkedHashMap<>();
        try {
            for (MapSpec m : created.values()) {
                maps.put(m.name(), JvmMaps.create(CollectionSlots.bytesOnly(m), cpus, spec.btf()));
            }
            CollectionSlots.fillMaps(spec, maps);
            Map<String, JvmProgram> programs = new LinkedHashMap<>();
            for (ProgramSpec p : spec.programs().values()) {
                CollectionSlots.claimProgArrays(p, maps);
                Verdict.Accepted verdict = verdicts.get(p.name());
                Executable executable = prepare(p, helpers(p.type()), maps, options.blindConstants(),
                        verdict == null ? null : verdict.facts());
                programs.put(p.name(), new JvmProgram(p, new PreparedProgram(executable, stackBytes(p, verdict)),
                        verdict == null || options.logLevel() == 0 ? Optional.empty() : Optional.of(verdict.log())));
            }
            CollectionSlots.fillPrograms(spec, maps, programs);
            return new JvmCollection(programs, maps);
        } catch (RuntimeException e) {
            maps.values().forEach(JvmMap::close);
            throw e;
        }
    }

    @Override
    public JvmRingBufferReader openRingBuffer(BpfMap map) {
        return JvmRingBufferReader.open(jvmMap(map));
    }

    @Override
    public JvmPerfBufferReader openPerfBuffer(BpfMap map, int pagesPerCpu) {
        return JvmPerfBufferReader.open(jvmMap(map), pagesPerCpu);
    }

    private static JvmMap jvmMap(BpfMap map) {
        if (map instanceof JvmMap m) {
            return m;
        }
        throw new IllegalArgumentException(map + " is not a map of the JVM backend");
    }

    /**
     * The bytes at the top of the first stack frame that a run of {@code p} may write: the verifier's stack depth of
     * its main function, unless a tail call can bring another program into that frame; the whole frame for a
     * program loaded unverified ({@code verdict} null).
     */
    private static int stackBytes(ProgramSpec p, Verdict.Accepted verdict) {
        if (verdict == null) {
            return Invocation.STACK_SIZE;
        }
        for (int i = 0; i < p.instructions().size(); i++) {
            Instruction insn = p.instructions().get(i);
            if (insn.isHelperCall() && insn.imm32() == HelperFunction.TAIL_CALL.value()) {
                return Invocation.STACK_SIZE;
            }
        }
        return verdict.stackDepth();
    }

    /** @param facts the verifier's access facts, or null for a program loaded unverified */
    private Executable prepare(ProgramSpec p, HelperRegistry helpers, Map<String, JvmMap> maps, boolean blind,
                               AccessFacts facts) {
        // A verified program is proven to end, as in the kernel, which counts nothing: a budget would only cost
        // time in every loop and could stop a long but legal run (bpf_loop allows 2^23 callbacks).
        long budget = facts != null ? Long.MAX_VALUE : UNVERIFIED_BACKWARD_JUMP_LIMIT;
        try {
            return engine.prepare(p.instructions(), helpers, budget, MapTable.forProgram(p, maps), blind,
                    facts != null ? facts : AccessFacts.none());
        } catch (InvalidProgramException e) {
            throw new BpfException("program '" + p.name() + "' cannot be prepared: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JvmBackend[" + engine + ", " + cpus + " cpus]";
    }
}
