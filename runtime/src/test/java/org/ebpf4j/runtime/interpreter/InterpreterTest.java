package org.ebpf4j.runtime.interpreter;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The interpreter's reference behaviour, which every engine must reproduce: each case runs on every engine. */
class InterpreterTest {
    private static final HelperRegistry NO_HELPERS = HelperRegistry.empty();

    /** A prepared program with the interpreter's one-argument run. */
    private record Loaded(Executable executable) {
        long run(Invocation invocation, long r1) {
            return executable.run(invocation, r1, 0, 0, 0, 0);
        }
    }

    private static Loaded load(Engine engine, Instructions program, HelperRegistry helpers) {
        return load(engine, program, helpers, Long.MAX_VALUE);
    }

    private static Loaded load(Engine engine, Instructions program, HelperRegistry helpers, long backwardJumps) {
        return new Loaded(engine.prepare(program, helpers, backwardJumps));
    }

    private static long run(Engine engine, ProgramBuilder b, long r1) {
        return load(engine, b.build(), NO_HELPERS).run(new Invocation(), r1);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void stackReadOutsideTheFrameNamesInstructionAddressAndRegion(Engine engine) {
        var b = new ProgramBuilder().mov64(R0, 0).ldx(Size.W, R0, R10, 4).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(engine, b, 0));
        assertEquals(1, fault.index());
        assertEquals("insn 1: read of 4 bytes at 0x100000204 is outside region 'stack frame 0' (512 bytes)"
                + " at offset 516", fault.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void nullPointerReadIsAFaultNotACrash(Engine engine) {
        var b = new ProgramBuilder().ldx(Size.DW, R0, R1, 0).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(engine, b, 0));
        assertEquals("insn 0: read of 8 bytes at 0x0: no region is mapped there", fault.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void writeToReadOnlyRegionFails(Engine engine) {
        var inv = new Invocation();
        long ctx = inv.map(Region.readOnly("context", new byte[8]));
        var p = load(engine, new ProgramBuilder().st(Size.B, R1, 0, 1).mov64(R0, 0).exit().build(), NO_HELPERS);
        ProgramFault fault = assertThrows(ProgramFault.class, () -> p.run(inv, ctx));
        assertTrue(fault.getMessage().contains("write of 1 byte at 0x900000000 in region 'context' (8 bytes, read-only)"),
                fault.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void unknownHelperStopsTheProgram(Engine engine) {
        var b = new ProgramBuilder().call(1234).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(engine, b, 0));
        assertEquals("insn 0: unknown helper function 1234", fault.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void helpersReceiveArgumentsAndReturnR0(Engine engine) {
        HelperRegistry helpers = NO_HELPERS.with(7, "sum", (ctx, a, b, c, d, e) -> a + b + c + d + e);
        var p = new ProgramBuilder().mov64(R1, 1).mov64(R2, 2).mov64(R3, 3).mov64(R4, 4).mov64(R5, 5)
                .call(7).exit().build();
        assertEquals(15, load(engine, p, helpers).run(new Invocation(), 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void localCallsKeepCalleeSavedRegistersAndGetTheirOwnFrame(Engine engine) {
        var p = new ProgramBuilder()
                .mov64(R6, 6).st(Size.DW, R10, -8, 42)
                .mov64(R1, 10).callLocal("f")
                .ldx(Size.DW, R2, R10, -8)       // the caller's slot is untouched by the callee
                .alu64(AluOp.ADD, R0, R2).alu64(AluOp.ADD, R0, R6).exit()
                .label("f")
                .st(Size.DW, R10, -8, 1000)      // the callee's own frame
                .mov64(R6, 0).mov64(R0, R1).exit();
        assertEquals(10 + 42 + 6, run(engine, p, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callChainsDeeperThanEightFramesAreStopped(Engine engine) {
        var b = new ProgramBuilder().label("f").callLocal("f").exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(engine, b, 0));
        assertEquals("insn 0: call stack is too deep: 8 frames at most", fault.getMessage());

        // Seven nested calls (eight frames) are allowed.
        var ok = new ProgramBuilder().mov64(R0, 0);
        for (int i = 0; i < 7; i++) {
            ok.callLocal("f" + i).exit().label("f" + i).alu64(AluOp.ADD, R0, 1);
        }
        ok.exit();
        assertEquals(7, run(engine, ok, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void callxCallsTheSubprogramWhoseAddressLddwLoaded(Engine engine) {
        var b = new ProgramBuilder().lddwFunction(R3, "f").mov64(R1, 20).callx(R3).exit()
                .label("f").mov64(R0, R1).alu64(AluOp.MUL, R0, 2).exit();
        assertEquals(40, run(engine, b, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void codeAddressesCannotBeDereferenced(Engine engine) {
        var b = new ProgramBuilder().lddwFunction(R3, "f").ldx(Size.B, R0, R3, 0).exit()
                .label("f").exit();
        assertThrows(ProgramFault.class, () -> run(engine, b, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void legacyPacketLoadsAreBigEndianAndEndTheProgramWhenThePacketIsShort(Engine engine) {
        var inv = new Invocation();
        long packet = inv.map(Region.of("packet", new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0x9a}));
        inv.setPacket(packet);
        var p = load(engine, new ProgramBuilder().mov64(R6, 1).ldInd(Size.W, R6, 0).exit().build(), NO_HELPERS);
        assertEquals(0x3456789aL, p.run(inv, 0));
        var shortPacket = load(engine, new ProgramBuilder().ldAbs(Size.H, 4).mov64(R0, 7).exit().build(),
                NO_HELPERS);
        assertEquals(0, shortPacket.run(inv, 0));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void backwardJumpLimitStopsEndlessLoops(Engine engine) {
        var p = new ProgramBuilder().label("top").ja("top").exit().build();
        ProgramFault fault = assertThrows(ProgramFault.class,
                () -> load(engine, p, NO_HELPERS, 1000).run(new Invocation(), 0));
        assertEquals("insn 0: stopped after 1000 backward jumps", fault.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void formsThatNeedALoaderAreRejectedAtLoad(Engine engine) {
        var map = new ProgramBuilder().lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 3).exit().build();
        var e = assertThrows(InvalidProgramException.class, () -> load(engine, map, NO_HELPERS));
        assertEquals(0, e.index());
        var kfunc = new ProgramBuilder().callKfunc(77).exit().build();
        assertThrows(InvalidProgramException.class, () -> load(engine, kfunc, NO_HELPERS));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void misalignedAtomicsAreFaults(Engine engine) {
        var b = new ProgramBuilder().mov64(R1, 1).atomic(Size.DW, AtomicOp.ADD, false, R10, -12, R1)
                .mov64(R0, 0).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(engine, b, 0));
        assertTrue(fault.getMessage().startsWith("insn 1: misaligned atomic access of 8 bytes"), fault.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void atomicsAreAtomicAcrossThreadsOnSharedAndArrayRegions(Engine engine) throws Exception {
        for (Region counter : List.of(Region.shared("counter", 16), Region.of("counter", new byte[16]))) {
            int threads = 4;
            int iterations = 20_000;
            var p = load(engine, new ProgramBuilder()
                    .mov64(R6, 0)
                    .label("loop")
                    .mov64(R2, 1)
                    .atomic(Size.DW, AtomicOp.ADD, true, R1, 0, R2)
                    .mov64(R3, 1)
                    .atomic(Size.W, AtomicOp.ADD, false, R1, 8, R3)
                    .alu64(AluOp.ADD, R6, 1)
                    .jump(JumpOp.JLT, R6, iterations, "loop")
                    .mov64(R0, 0).exit().build(), NO_HELPERS);
            try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                List<Future<Long>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit((Callable<Long>) () -> {
                        var inv = new Invocation();
                        return p.run(inv, inv.map(counter));
                    }));
                }
                for (Future<Long> f : results) {
                    f.get();
                }
            }
            var inv = new Invocation();
            long at = inv.map(counter);
            assertEquals((long) threads * iterations, inv.memory().load(at, 8), counter.toString());
            assertEquals((long) threads * iterations, inv.memory().load(at + 8, 4), counter.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void concurrentRunsDoNotShareStacks(Engine engine) throws Exception {
        // Each run stores its argument on the stack, spins, and reads it back.
        var p = load(engine, new ProgramBuilder()
                .stx(Size.DW, R10, -8, R1)
                .mov64(R2, 0)
                .label("spin")
                .alu64(AluOp.ADD, R2, 1)
                .jump(JumpOp.JLT, R2, 5000, "spin")
                .ldx(Size.DW, R0, R10, -8)
                .exit().build(), NO_HELPERS);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long id = t + 1;
                results.add(pool.submit(() -> {
                    var inv = new Invocation();
                    for (int i = 0; i < 500; i++) {
                        if (p.run(inv, id * 1_000_000 + i) != id * 1_000_000 + i) {
                            return false;
                        }
                        inv.reset();
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void resetClearsTheStackBetweenRuns(Engine engine) {
        var inv = new Invocation();
        var write = load(engine, new ProgramBuilder().st(Size.DW, R10, -8, 99).mov64(R0, 0).exit().build(),
                NO_HELPERS);
        var read = load(engine, new ProgramBuilder().ldx(Size.DW, R0, R10, -8).exit().build(), NO_HELPERS);
        write.run(inv, 0);
        inv.reset();
        assertEquals(0, read.run(inv, 0));
    }
}
