package org.ebpf4j.runtime.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.helpers.SimpleHelpers;
import org.ebpf4j.runtime.helpers.TraceSink;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.maps.MapTable;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;

/**
 * Loads collections into this JVM: maps from {@link JvmMaps} (global data and {@code .kconfig} included), map
 * references resolved at load ({@link MapTable#forProgram}), the map helpers and {@link SimpleHelpers}, each
 * program prepared by an {@link Engine}. Immutable; {@code with...} returns a changed copy.
 *
 * <p>Prog arrays and maps of maps get their slots as libbpf fills them ({@link CollectionSlots}).
 *
 * <p>Not yet: the verifier (issue 5; until then only {@link LoadOptions#unverified()} loads), CO-RE relocations
 * (they need the target BTF of the JVM's contexts).
 */
public final class JvmBackend implements Backend {
    /**
     * Backward jumps after which an unverified program is stopped: nothing has proven that it terminates, and a
     * runaway loop must not hang the caller. Far above what a verifier-bounded program takes (1M instructions).
     */
    public static final long UNVERIFIED_BACKWARD_JUMP_LIMIT = 1L << 26;

    private final Engine engine;
    private final int cpus;
    private final TraceSink traceSink;

    private JvmBackend(Engine engine, int cpus, TraceSink traceSink) {
        if (cpus < 1) {
            throw new IllegalArgumentException("at least one CPU, not " + cpus);
        }
        this.engine = Objects.requireNonNull(engine);
        this.cpus = cpus;
        this.traceSink = Objects.requireNonNull(traceSink);
    }

    /** The interpreter, one per-CPU slot per available processor, {@code bpf_trace_printk} to standard error. */
    public JvmBackend() {
        this(Engine.INTERPRETER, JvmMaps.defaultCpus(), TraceSink.standardError());
    }

    public JvmBackend withCpus(int count) {
        return new JvmBackend(engine, count, traceSink);
    }

    public JvmBackend withTraceSink(TraceSink sink) {
        return new JvmBackend(engine, cpus, sink);
    }

    public JvmBackend withEngine(Engine e) {
        return new JvmBackend(e, cpus, traceSink);
    }

    @Override
    public String name() {
        return "jvm";
    }

    /** The helpers every program of this backend may call. */
    public HelperRegistry helpers() {
        return MapHelpers.register(SimpleHelpers.register(HelperRegistry.empty(), traceSink));
    }

    @Override
    public Collection load(CollectionSpec spec, LoadOptions options) {
        // A collection of maps alone has nothing to verify, so it loads under the default options.
        if (options.verify() && !spec.programs().isEmpty()) {
            throw new BpfException("the JVM backend cannot verify programs yet; load with"
                    + " LoadOptions.defaults().unverified()");
        }
        for (ProgramSpec p : spec.programs().values()) {
            if (!p.coreRelocations().isEmpty()) {
                throw new BpfException("program '" + p.name() + "' has " + p.coreRelocations().size()
                        + " CO-RE relocations: the JVM backend has no target BTF for them yet");
            }
        }
        Map<String, JvmMap> maps = new LinkedHashMap<>();
        try {
            for (MapSpec m : spec.maps().values()) {
                MapSpec filled = m.origin() == MapSpec.Origin.KCONFIG
                        ? JvmKconfig.filled(spec, m, options.kconfig()) : m;
                maps.put(m.name(), JvmMaps.create(CollectionSlots.bytesOnly(filled), cpus));
            }
            CollectionSlots.fillMaps(spec, maps);
            HelperRegistry helpers = helpers();
            Map<String, JvmProgram> programs = new LinkedHashMap<>();
            for (ProgramSpec p : spec.programs().values()) {
                CollectionSlots.claimProgArrays(p, maps);
                programs.put(p.name(), new JvmProgram(p, prepare(p, helpers, maps)));
            }
            CollectionSlots.fillPrograms(spec, maps, programs);
            return new JvmCollection(programs, maps);
        } catch (RuntimeException e) {
            maps.values().forEach(JvmMap::close);
            throw e;
        }
    }

    private Executable prepare(ProgramSpec p, HelperRegistry helpers, Map<String, JvmMap> maps) {
        try {
            return engine.prepare(p.instructions(), helpers, UNVERIFIED_BACKWARD_JUMP_LIMIT,
                    MapTable.forProgram(p, maps));
        } catch (InvalidProgramException e) {
            throw new BpfException("program '" + p.name() + "' cannot be prepared: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "JvmBackend[" + engine + ", " + cpus + " cpus]";
    }
}
