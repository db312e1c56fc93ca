package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Opcode.*;
import static org.ebpf4j.isa.Register.*;
import static org.ebpf4j.runtime.maps.Specs.*;
import static org.ebpf4j.spec.HelperFunction.*;
import static org.ebpf4j.spec.MapUpdateFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;

/** Programs using maps through the helpers on the interpreter. */
class MapProgramsTest {

    /** Loads a program whose {@code lddw rX, map N} refer to {@code maps[N]}. */
    static Interpreter load(ProgramBuilder b, JvmMap... maps) {
        return Interpreter.load(b.build(), MapHelpers.registry(), Long.MAX_VALUE, MapTable.byIndex(List.of(maps)));
    }

    /** {@code *lookup(map 0, &key) += r1-of-the-run} with lock add; r0 = 1 when found, 0 otherwise. */
    static ProgramBuilder atomicIncrement(int key) {
        return new ProgramBuilder()
                .mov64(R6, R1)
                .st(Size.W, R10, -4, key)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .call(MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "missing")
                .atomic(Size.DW, AtomicOp.ADD, false, R0, 0, R6)
                .mov64(R0, 1).exit()
                .label("missing")
                .mov64(R0, 0).exit();
    }

    /** Counts r1 in a hash: increments an existing key, inserts 1 with BPF_NOEXIST otherwise; r0 = helper result. */
    static ProgramBuilder hashCount() {
        return new ProgramBuilder()
                .stx(Size.W, R10, -4, R1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .call(MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "insert")
                .mov64(R1, 1)
                .atomic(Size.DW, AtomicOp.ADD, false, R0, 0, R1)
                .mov64(R0, 0).exit()
                .label("insert")
                .st(Size.DW, R10, -16, 1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .mov64(R3, R10).alu64(AluOp.ADD, R3, -16)
                .mov64(R4, BPF_NOEXIST)
                .call(MAP_UPDATE_ELEM.value())
                .exit();
    }

    @Test
    void programIncrementsAnArrayValueThroughALookupPointer() {
        try (JvmMap m = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 4, 0), 2)) {
            Interpreter p = load(atomicIncrement(2), m);
            var inv = new Invocation();
            for (int i = 0; i < 5; i++) {
                assertEquals(1, p.run(inv, 10));
            }
            assertEquals(50, asLong(m.lookup(u32(2)).orElseThrow()));
            assertEquals(0, load(atomicIncrement(4), m).run(inv, 1), "out of range: NULL");
        }
    }

    @Test
    void programInsertsThenIncrementsHashValues() {
        try (JvmMap m = JvmMaps.create(spec(MapType.HASH, 4, 8, 16, 0), 2)) {
            Interpreter p = load(hashCount(), m);
            var inv = new Invocation();
            for (int i = 0; i < 10; i++) {
                assertEquals(0, p.run(inv, i % 3));
            }
            assertEquals(4, asLong(m.lookup(u32(0)).orElseThrow()));
            assertEquals(3, asLong(m.lookup(u32(1)).orElseThrow()));
            assertEquals(3, asLong(m.lookup(u32(2)).orElseThrow()));
        }
    }

    @Test
    void helpersReturnTheKernelsErrno() {
        try (JvmMap full = JvmMaps.create(spec(MapType.HASH, 4, 8, 1, 0), 2)) {
            full.update(u32(100), u64(1), BPF_ANY);
            assertEquals(Errno.E2BIG.negated(), load(hashCount(), full).run(new Invocation(), 7));
            var delete = new ProgramBuilder()
                    .stx(Size.W, R10, -4, R1)
                    .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                    .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                    .call(MAP_DELETE_ELEM.value()).exit();
            Interpreter d = load(delete, full);
            assertEquals(Errno.ENOENT.negated(), d.run(new Invocation(), 7));
            assertEquals(0, d.run(new Invocation(), 100));
        }
        try (JvmMap array = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 2)) {
            var update = new ProgramBuilder()
                    .st(Size.W, R10, -4, 0).st(Size.DW, R10, -16, 5)
                    .mov64(R4, R1)
                    .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                    .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                    .mov64(R3, R10).alu64(AluOp.ADD, R3, -16)
                    .call(MAP_UPDATE_ELEM.value()).exit();
            Interpreter u = load(update, array);
            assertEquals(Errno.EEXIST.negated(), u.run(new Invocation(), BPF_NOEXIST));
            assertEquals(Errno.EINVAL.negated(), u.run(new Invocation(), BPF_F_LOCK));
            assertEquals(0, u.run(new Invocation(), BPF_EXIST));
            assertEquals(5, asLong(array.lookup(u32(0)).orElseThrow()));
        }
    }

    @Test
    void queuePushPopPeekFromAProgram() {
        try (JvmMap q = JvmMaps.create(spec(MapType.QUEUE, 0, 8, 2, 0), 2)) {
            var push = new ProgramBuilder()
                    .stx(Size.DW, R10, -8, R1)
                    .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                    .mov64(R2, R10).alu64(AluOp.ADD, R2, -8)
                    .mov64(R3, 0)
                    .call(MAP_PUSH_ELEM.value()).exit();
            Interpreter p = load(push, q);
            assertEquals(0, p.run(new Invocation(), 11));
            assertEquals(0, p.run(new Invocation(), 22));
            assertEquals(Errno.E2BIG.negated(), p.run(new Invocation(), 33));
            for (int helper : new int[] {MAP_PEEK_ELEM.value(), MAP_POP_ELEM.value()}) {
                var take = new ProgramBuilder()
                        .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                        .mov64(R2, R10).alu64(AluOp.ADD, R2, -8)
                        .call(helper)
                        .jump(JumpOp.JNE, R0, 0, "out")
                        .ldx(Size.DW, R0, R10, -8)
                        .label("out").exit();
                assertEquals(11, load(take, q).run(new Invocation(), 0));
            }
            assertEquals(List.of(22L), q.pop().map(Specs::asLong).stream().toList());
        }
    }

    @Test
    void perCpuLookupsUseTheInvocationsCpu() {
        try (JvmMap m = JvmMaps.create(spec(MapType.PERCPU_ARRAY, 4, 8, 1, 0), 4)) {
            Interpreter p = load(atomicIncrement(0), m);
            var inv = new Invocation();
            for (int cpu = 0; cpu < 4; cpu++) {
                inv.setCpu(cpu);
                p.run(inv, cpu + 1);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L),
                    m.lookupPerCpu(u32(0)).orElseThrow().stream().map(Specs::asLong).toList());
            inv.setCpu(4);
            var fault = assertThrows(ProgramFault.class, () -> p.run(inv, 1));
            assertTrue(fault.getMessage().contains("cpu 4"), fault.getMessage());
        }
    }

    @Test
    void mapValueLddwIsADirectPointerIntoGlobalData() {
        try (JvmMap data = JvmMaps.create(spec(MapType.ARRAY, 4, 16, 1, 0), 2)) {
            data.update(u32(0), new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0}, BPF_ANY);
            var p = new ProgramBuilder()
                    .lddwPseudo(R1, PSEUDO_MAP_VALUE, 8L << 32) // map 0, offset 8
                    .ldx(Size.DW, R0, R1, 0)
                    .st(Size.DW, R1, -8, 7)
                    .exit();
            assertEquals(42, load(p, data).run(new Invocation(), 0));
            assertEquals(7, asLong(data.lookup(u32(0)).orElseThrow()) & 0xff);
        }
        try (JvmMap big = JvmMaps.create(spec(MapType.ARRAY, 4, 16, 2, 0), 2)) {
            var p = new ProgramBuilder().lddwPseudo(R1, PSEUDO_MAP_VALUE, 0).mov64(R0, 0).exit();
            assertThrows(InvalidProgramException.class, () -> load(p, big));
        }
    }

    @Test
    void mapReferencesNeedAResolver() {
        var p = new ProgramBuilder().lddwPseudo(R1, PSEUDO_MAP_FD, 0).mov64(R0, 0).exit().build();
        var e = assertThrows(InvalidProgramException.class,
                () -> Interpreter.load(p, MapHelpers.registry()));
        assertTrue(e.getMessage().contains("MapResolver"), e.getMessage());
    }

    @Test
    void readOnlyForProgramsMapsRefuseProgramWrites() {
        try (JvmMap m = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, MapFlags.BPF_F_RDONLY_PROG), 2)) {
            assertThrows(ProgramFault.class, () -> load(atomicIncrement(0), m).run(new Invocation(), 1));
            m.update(u32(0), u64(3), BPF_ANY); // Java may still write
            assertEquals(3, asLong(m.lookup(u32(0)).orElseThrow()));
        }
    }

    @Test
    void handlesOfClosedMapsAndDereferencedHandlesFault() {
        JvmMap m = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 2);
        Interpreter p = load(atomicIncrement(0), m);
        var deref = new ProgramBuilder().lddwPseudo(R1, PSEUDO_MAP_FD, 0).ldx(Size.DW, R0, R1, 0).exit();
        var fault = assertThrows(ProgramFault.class, () -> load(deref, m).run(new Invocation(), 0));
        assertTrue(fault.getMessage().contains("no region is mapped"), fault.getMessage());
        m.close();
        fault = assertThrows(ProgramFault.class, () -> p.run(new Invocation(), 1));
        assertTrue(fault.getMessage().contains("not the handle of an open map"), fault.getMessage());
    }
}
