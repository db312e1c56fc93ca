package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.MapException;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapUpdateFlags;
import org.junit.jupiter.api.Test;

/**
 * callbacks.c on the JVM backend: tail calls (the 33-call limit, empty slots and indexes past the end that do not
 * count, a tail call replacing a subprogram), maps of maps filled at load, bpf_loop and bpf_for_each_map_elem. The
 * expected values are the kernel's: {@link TailCallDifferentialTest} compares what the kernel loads of this object.
 */
class ControlTransferTest {
    private static final LoadOptions UNVERIFIED = LoadOptions.defaults().unverified();
    private final JvmBackend backend = new JvmBackend().withEngine(engine()).withCpus(2);

    Engine engine() {
        return Engine.INTERPRETER;
    }

    static final class OnTheJit extends ControlTransferTest {
        @Override
        Engine engine() {
            return Engine.JIT;
        }

        @Test
        void everyProgramIsCompiled() {
            try (Collection c = new JvmBackend().withEngine(Engine.JIT).load(Fixtures.load("callbacks.v3.o"),
                    UNVERIFIED)) {
                for (var p : c.programs().values()) {
                    assertFalse(((JvmProgram) p).executable() instanceof Interpreter, p.name() + " runs interpreted");
                }
            }
        }
    }

    private static long run(Collection c, String program) {
        return c.program(program).testRun(TestRun.of(Fixtures.packet(64))).returnValue();
    }

    private static long result(Collection c, int index) {
        return ByteBuffer.wrap(c.map("results").lookup(u32(index)).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    @Test
    void thirtyThreeTailCallsSucceedInOneRun() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            // chain -> hop, then hop -> hop until the 34th call falls through: hop runs 33 times.
            assertEquals(33, run(c, "chain"));
            assertEquals(33, result(c, 0));
            assertEquals(33, run(c, "chain"), "the count starts again with each run");
        }
    }

    @Test
    void verifiedTailCallChainsRunToo() {
        var spec = Fixtures.load("callbacks.v3.o");
        var programs = new java.util.LinkedHashMap<String, org.ebpf4j.spec.ProgramSpec>();
        for (String name : java.util.List.of("chain", "missing", "missing_direct", "hop", "leaf", "moved_leaf")) {
            programs.put(name, spec.program(name));
        }
        var tailCallsOnly = new org.ebpf4j.spec.CollectionSpec(spec.name(), programs, spec.maps(),
                spec.kconfigExterns(), spec.btf(), spec.byteOrder());
        try (Collection c = backend.load(tailCallsOnly, LoadOptions.defaults())) {
            assertEquals(33, run(c, "chain"));
            assertEquals(133, run(c, "missing"));
            assertEquals(133, run(c, "missing_direct"));
        }
    }

    @Test
    void emptySlotsAndIndexesPastTheEndFallThroughWithoutCounting() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            assertEquals(133, run(c, "missing"));
        }
    }

    @Test
    void aTailCallFromASubprogramReturnsTheTargetsValueToItsCaller() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            // tail_from_sub(ctx, 1) becomes leaf (42); tail_from_sub(ctx, 5) falls through to its own return (7).
            assertEquals(427, run(c, "from_sub"));
            assertEquals(1, result(c, 1));
        }
    }

    @Test
    void mapsOfMapsHoldTheirInitialMapsAndLookupsReachThem() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            assertEquals(10_005_204, run(c, "nested"));
            assertEquals(10_010_208, run(c, "nested"));
            assertEquals(2, asLong(c.map("inner_a").lookup(u32(0)).orElseThrow()));
            assertEquals(10, asLong(c.map("inner_b").lookup(u32(1)).orElseThrow()));
            BpfMap outer = c.map("outer");
            assertTrue(outer.lookup(u32(0)).isPresent());
            assertFalse(outer.lookup(u32(1)).isPresent());
            assertEquals(1, c.map("by_id").keys().size());
        }
    }

    @Test
    void loopsAndMapWalksCallBackWithTheKernelsResults() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            assertEquals(183 + 5, run(c, "loops"));
            assertEquals(5, result(c, 2), "bpf_loop(5) runs 5 times");
            assertEquals(8, result(c, 3), "bpf_loop(100) stops when the callback returns 1 at i = 7");
            assertEquals(0, result(c, 4));
            assertEquals(Errno.EINVAL.negated(), result(c, 5), "flags");
            // As the kernel's inlined bpf_loop: -E2BIG by a 32-bit move.
            assertEquals(Errno.E2BIG.negated() & 0xffff_ffffL, result(c, 6), "more than 1 << 23 loops");
            assertEquals(183, result(c, 7));
            assertEquals(3, result(c, 8), "the array walk stops at key 2, counting it");
            assertEquals(306, result(c, 9));
            assertEquals(5, result(c, 10));
            assertEquals(1625, result(c, 11));
            assertEquals(5, result(c, 12));
            assertEquals(Errno.EINVAL.negated(), result(c, 13), "flags");
            assertEquals(3, asLong(c.map("cells").lookup(u32(2)).orElseThrow()), "callbacks write values");
        }
    }

    @Test
    void progArraysTakeProgramsFromJavaWithTheKernelsErrno() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            BpfMap jumps = c.map("jumps");
            assertFalse(jumps.lookup(u32(5)).isPresent());
            jumps.update(u32(5), c.program("leaf"), MapUpdateFlags.BPF_ANY);
            assertTrue(jumps.lookup(u32(5)).isPresent());
            assertEquals(42, run(c, "missing"), "the first tail call now reaches leaf");
            assertErrno(Errno.EINVAL, () -> jumps.update(u32(5), c.program("leaf"), MapUpdateFlags.BPF_NOEXIST));
            assertErrno(Errno.E2BIG, () -> jumps.update(u32(8), c.program("leaf"), MapUpdateFlags.BPF_ANY));
            assertTrue(jumps.delete(u32(5)));
            assertFalse(jumps.delete(u32(5)));
            assertErrno(Errno.E2BIG, () -> jumps.delete(u32(8)));
            assertEquals(133, run(c, "missing"));
            assertThrows(UnsupportedOperationException.class,
                    () -> jumps.update(u32(1), u32(3), MapUpdateFlags.BPF_ANY));
        }
    }

    @Test
    void mapsOfMapsTakeOnlyMapsOfTheTemplatesShape() {
        try (Collection c = backend.load(Fixtures.load("callbacks.v3.o"), UNVERIFIED)) {
            BpfMap outer = c.map("outer");
            BpfMap byId = c.map("by_id");
            outer.update(u32(1), c.map("inner_b"), MapUpdateFlags.BPF_ANY);
            assertEquals(outer.lookup(u32(2)).orElseThrow()[0], outer.lookup(u32(1)).orElseThrow()[0]);
            assertErrno(Errno.EINVAL, () -> outer.update(u32(1), c.map("cells"), MapUpdateFlags.BPF_ANY));
            assertErrno(Errno.EINVAL, () -> outer.update(u32(1), c.map("inner_a"), MapUpdateFlags.BPF_EXIST));
            assertErrno(Errno.E2BIG, () -> outer.update(u32(4), c.map("inner_a"), MapUpdateFlags.BPF_ANY));
            assertErrno(Errno.EEXIST, () -> byId.update(u32(3), c.map("inner_a"), MapUpdateFlags.BPF_NOEXIST));
            assertErrno(Errno.ENOENT, () -> byId.update(u32(9), c.map("inner_a"), MapUpdateFlags.BPF_EXIST));
            byId.update(u32(9), c.map("inner_a"), MapUpdateFlags.BPF_ANY);
            assertEquals(2, byId.keys().size());
            assertTrue(outer.delete(u32(1)));
            assertFalse(outer.delete(u32(1)));
        }
    }

    @Test
    void aProgArrayServesOneProgramType() {
        var spec = Fixtures.load("callbacks.v3.o");
        try (Collection c = backend.load(spec, UNVERIFIED);
             Collection other = backend.load(Fixtures.load("legacy.v3.o"), UNVERIFIED)) {
            assertErrno(Errno.EINVAL, () -> c.map("jumps").update(u32(3), other.program("filter"),
                    MapUpdateFlags.BPF_ANY));
        }
    }

    private static long asLong(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void assertErrno(Errno errno, org.junit.jupiter.api.function.Executable operation) {
        MapException e = assertThrows(MapException.class, operation);
        assertEquals(errno, e.errno(), e.getMessage());
    }
}
