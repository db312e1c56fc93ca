package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.MapException;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.runtime.differential.BothBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * callbacks.c in the kernel and on both JVM engines: return values of repeated runs, the contents of every data map,
 * which slots of the prog array and the maps of maps are filled (the kernel shows ids, which differ), and the errno
 * of Java updates of those maps; "moved" checks that a tail call's target finds the packet where its caller moved
 * it. Skipped where {@code bpf()} is not permitted; a program the kernel refuses for want of BTF func_info
 * (callbacks, a tail call in a subprogram) is skipped, saying so, until the Linux backend passes BTF. The JVM side
 * verifies callbacks.c with ebpf4j's verifier.
 */
class TailCallDifferentialTest {
    private static final LoadOptions OPTIONS = LoadOptions.defaults();
    private static final Set<MapType> FD_MAPS = Set.of(MapType.PROG_ARRAY, MapType.ARRAY_OF_MAPS,
            MapType.HASH_OF_MAPS);
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();

    static List<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Engine engine : Engine.values()) {
            for (String program : List.of("chain", "missing", "missing_direct", "from_sub", "nested", "loops",
                    "moved")) {
                cases.add(Arguments.of(program, engine));
            }
        }
        return cases;
    }

    private static LoadOptions jvmOptions(String program) {
        return OPTIONS;
    }

    /** The program and the programs the prog array holds, the only ones the kernel needs to load. */
    private static CollectionSpec withOnly(CollectionSpec spec, String program) {
        Map<String, ProgramSpec> programs = new LinkedHashMap<>();
        for (String name : List.of(program, "hop", "leaf", "moved_leaf")) {
            programs.put(name, spec.program(name));
        }
        return new CollectionSpec(spec.name(), programs, spec.maps(), spec.kconfigExterns(), spec.btf(),
                spec.byteOrder());
    }

    private static Collection loadInKernel(CollectionSpec spec, String program) {
        try {
            return kernel.load(spec, OPTIONS);
        } catch (VerifierException e) {
            if (e.getMessage().contains("func_info") || e.getMessage().contains("without BTF")) {
                abort(program + " needs the object's BTF func_info in the kernel, which the Linux backend does not"
                        + " pass yet: " + e.getMessage());
            }
            throw e;
        }
    }

    @ParameterizedTest(name = "{0} on the {1}")
    @MethodSource("cases")
    void jvmAndKernelAgree(String program, Engine engine) {
        assumeTrue(kernel != null, skipReason);
        CollectionSpec spec = withOnly(Fixtures.load("callbacks.v3.o"), program);
        try (Collection onKernel = loadInKernel(spec, program);
             Collection onJvm = new JvmBackend().withEngine(engine).load(spec, jvmOptions(program))) {
            for (int run = 0; run < 3; run++) {
                TestRun input = TestRun.of(Fixtures.packet(64 + run));
                assertEquals(onKernel.program(program).testRun(input).returnValue(),
                        onJvm.program(program).testRun(input).returnValue(), program + " run " + run);
            }
            assertEquals(contents(onKernel), contents(onJvm), "maps after the runs");
        }
    }

    @Test
    void javaUpdatesOfProgArraysAndMapsOfMapsGetTheKernelsErrno() {
        assumeTrue(kernel != null, skipReason);
        CollectionSpec spec = withOnly(Fixtures.load("callbacks.v3.o"), "chain");
        try (Collection onKernel = loadInKernel(spec, "chain");
             Collection otherOnKernel = kernel.load(Fixtures.load("legacy.v3.o"), OPTIONS);
             Collection onJvm = new JvmBackend().load(spec, OPTIONS);
             Collection otherOnJvm = new JvmBackend().load(Fixtures.load("legacy.v3.o"), OPTIONS.unverified())) {
            assertEquals(updates(onKernel, otherOnKernel), updates(onJvm, otherOnJvm));
            assertEquals(contents(onKernel), contents(onJvm), "maps after the updates");
        }
    }

    /** Each update's outcome: "ok" or the errno's name. */
    private static List<String> updates(Collection c, Collection other) {
        BpfMap jumps = c.map("jumps");
        BpfMap outer = c.map("outer");
        BpfMap byId = c.map("by_id");
        var leaf = c.program("leaf");
        List<Runnable> steps = List.of(
                () -> jumps.update(ControlTransferTest.u32(5), leaf, MapUpdateFlags.BPF_ANY),
                () -> jumps.update(ControlTransferTest.u32(5), leaf, MapUpdateFlags.BPF_NOEXIST),
                () -> jumps.update(ControlTransferTest.u32(5), leaf, MapUpdateFlags.BPF_EXIST),
                () -> jumps.update(ControlTransferTest.u32(8), leaf, MapUpdateFlags.BPF_ANY),
                () -> jumps.update(ControlTransferTest.u32(6), other.program("filter"), MapUpdateFlags.BPF_ANY),
                () -> check(jumps.delete(ControlTransferTest.u32(0))),
                () -> check(jumps.delete(ControlTransferTest.u32(0))),
                () -> check(jumps.delete(ControlTransferTest.u32(8))),
                () -> outer.update(ControlTransferTest.u32(1), c.map("inner_b"), MapUpdateFlags.BPF_ANY),
                () -> outer.update(ControlTransferTest.u32(1), c.map("cells"), MapUpdateFlags.BPF_ANY),
                () -> outer.update(ControlTransferTest.u32(3), c.map("results"), MapUpdateFlags.BPF_ANY),
                () -> outer.update(ControlTransferTest.u32(3), c.map("inner_a"), MapUpdateFlags.BPF_EXIST),
                () -> outer.update(ControlTransferTest.u32(4), c.map("inner_a"), MapUpdateFlags.BPF_ANY),
                () -> byId.update(ControlTransferTest.u32(3), c.map("inner_a"), MapUpdateFlags.BPF_NOEXIST),
                () -> byId.update(ControlTransferTest.u32(9), c.map("inner_a"), MapUpdateFlags.BPF_EXIST),
                () -> byId.update(ControlTransferTest.u32(9), c.map("table"), MapUpdateFlags.BPF_ANY),
                () -> byId.update(ControlTransferTest.u32(9), c.map("inner_a"), MapUpdateFlags.BPF_ANY),
                () -> check(byId.delete(ControlTransferTest.u32(3))),
                () -> check(byId.delete(ControlTransferTest.u32(3))),
                () -> check(outer.delete(ControlTransferTest.u32(2))),
                () -> check(outer.delete(ControlTransferTest.u32(7))));
        List<String> outcomes = new ArrayList<>();
        for (Runnable step : steps) {
            try {
                step.run();
                outcomes.add("ok");
            } catch (MapException e) {
                outcomes.add(e.errno().name());
            } catch (LinuxBpfException e) {
                outcomes.add(e.errno().map(Enum::name).orElse(String.valueOf(e.errnoValue())));
            }
        }
        return outcomes;
    }

    private static void check(boolean deleted) {
        if (!deleted) {
            throw new MapException("(delete)", "delete", org.ebpf4j.spec.Errno.ENOENT);
        }
    }

    /** Data maps as sorted hex key -> hex value; fd maps as their filled keys (the values are ids). */
    private static Map<String, Object> contents(Collection c) {
        Map<String, Object> all = new TreeMap<>();
        Function<byte[], String> hex = HexFormat.of()::formatHex;
        for (BpfMap map : c.maps().values()) {
            if (FD_MAPS.contains(map.type())) {
                Set<String> filled = new TreeSet<>();
                for (byte[] key : map.keys()) {
                    map.lookup(key).ifPresent(v -> filled.add(hex.apply(key)));
                }
                all.put(map.name(), filled);
                continue;
            }
            Map<String, String> entries = new TreeMap<>();
            for (byte[] key : map.keys()) {
                entries.put(hex.apply(key), map.lookup(key).map(hex).orElse("(gone)"));
            }
            all.put(map.name(), entries);
        }
        return all;
    }
}
