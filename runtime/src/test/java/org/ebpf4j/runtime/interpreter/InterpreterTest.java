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
import org.junit.jupiter.api.Test;

class InterpreterTest {
    private static final HelperRegistry NO_HELPERS = HelperRegistry.empty();

    private static long run(ProgramBuilder b, long r1) {
        return Interpreter.load(b.build(), NO_HELPERS).run(new Invocation(), r1);
    }

    @Test
    void stackReadOutsideTheFrameNamesInstructionAddressAndRegion() {
        var b = new ProgramBuilder().mov64(R0, 0).ldx(Size.W, R0, R10, 4).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(b, 0));
        assertEquals(1, fault.index());
        assertEquals("insn 1: read of 4 bytes at 0x100000204 is outside region 'stack frame 0' (512 bytes)"
                + " at offset 516", fault.getMessage());
    }

    @Test
    void nullPointerReadIsAFaultNotACrash() {
        var b = new ProgramBuilder().ldx(Size.DW, R0, R1, 0).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(b, 0));
        assertEquals("insn 0: read of 8 bytes at 0x0: no region is mapped there", fault.getMessage());
    }

    @Test
    void writeToReadOnlyRegionFails() {
        var inv = new Invocation();
        long ctx = inv.map(Region.readOnly("context", new byte[8]));
        var p = Interpreter.load(new ProgramBuilder().st(Size.B, R1, 0, 1).mov64(R0, 0).exit().build(), NO_HELPERS);
        ProgramFault fault = assertThrows(ProgramFault.class, () -> p.run(inv, ctx));
        assertTrue(fault.getMessage().contains("write of 1 byte at 0x900000000 in region 'context' (8 bytes, read-only)"),
                fault.getMessage());
    }

    @Test
    void unknownHelperStopsTheProgram() {
        var b = new ProgramBuilder().call(1234).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(b, 0));
        assertEquals("insn 0: unknown helper function 1234", fault.getMessage());
    }

    @Test
    void helpersReceiveArgumentsAndReturnR0() {
        HelperRegistry helpers = NO_HELPERS.with(7, "sum", (ctx, a, b, c, d, e) -> a + b + c + d + e);
        var p = new ProgramBuilder().mov64(R1, 1).mov64(R2, 2).mov64(R3, 3).mov64(R4, 4).mov64(R5, 5)
                .call(7).exit().build();
        assertEquals(15, Interpreter.load(p, helpers).run(new Invocation(), 0));
    }

    @Test
    void localCallsKeepCalleeSavedRegistersAndGetTheirOwnFrame() {
        var p = new ProgramBuilder()
                .mov64(R6, 6).st(Size.DW, R10, -8, 42)
                .mov64(R1, 10).callLocal("f")
                .ldx(Size.DW, R2, R10, -8)       // the caller's slot is untouched by the callee
                .alu64(AluOp.ADD, R0, R2).alu64(AluOp.ADD, R0, R6).exit()
                .label("f")
                .st(Size.DW, R10, -8, 1000)      // the callee's own frame
                .mov64(R6, 0).mov64(R0, R1).exit();
        assertEquals(10 + 42 + 6, run(p, 0));
    }

    @Test
    void callChainsDeeperThanEightFramesAreStopped() {
        var b = new ProgramBuilder().label("f").callLocal("f").exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(b, 0));
        assertEquals("insn 0: call stack is too deep: 8 frames at most", fault.getMessage());

        // Seven nested calls (eight frames) are allowed.
        var ok = new ProgramBuilder().mov64(R0, 0);
        for (int i = 0; i < 7; i++) {
            ok.callLocal("f" + i).exit().label("f" + i).alu64(AluOp.ADD, R0, 1);
        }
        ok.exit();
        assertEquals(7, run(ok, 0));
    }

    @Test
    void callxCallsTheSubprogramWhoseAddressLddwLoaded() {
        var b = new ProgramBuilder().lddwFunction(R3, "f").mov64(R1, 20).callx(R3).exit()
                .label("f").mov64(R0, R1).alu64(AluOp.MUL, R0, 2).exit();
        assertEquals(40, run(b, 0));
    }

    @Test
    void codeAddressesCannotBeDereferenced() {
        var b = new ProgramBuilder().lddwFunction(R3, "f").ldx(Size.B, R0, R3, 0).exit()
                .label("f").exit();
        assertThrows(ProgramFault.class, () -> run(b, 0));
    }

    @Test
    void legacyPacketLoadsAreBigEndianAndEndTheProgramWhenThePacketIsShort() {
        var inv = new Invocation();
        long packet = inv.map(Region.of("packet", new byte[] {0x12, 0x34, 0x56, 0x78, (byte) 0x9a}));
        inv.setPacket(packet);
        var p = Interpreter.load(new ProgramBuilder().mov64(R6, 1).ldInd(Size.W, R6, 0).exit().build(), NO_HELPERS);
        assertEquals(0x3456789aL, p.run(inv, 0));
        var shortPacket = Interpreter.load(new ProgramBuilder().ldAbs(Size.H, 4).mov64(R0, 7).exit().build(),
                NO_HELPERS);
        assertEquals(0, shortPacket.run(inv, 0));
    }

    @Test
    void backwardJumpLimitStopsEndlessLoops() {
        var p = new ProgramBuilder().label("top").ja("top").exit().build();
        ProgramFault fault = assertThrows(ProgramFault.class,
                () -> Interpreter.load(p, NO_HELPERS, 1000).run(new Invocation(), 0));
        assertEquals("insn 0: stopped after 1000 backward jumps", fault.getMessage());
    }

    @Test
    void formsThatNeedALoaderAreRejectedAtLoad() {
        var map = new ProgramBuilder().lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 3).exit().build();
        var e = assertThrows(InvalidProgramException.class, () -> Interpreter.load(map, NO_HELPERS));
        assertEquals(0, e.index());
        var kfunc = new ProgramBuilder().callKfunc(77).exit().build();
        assertThrows(InvalidProgramException.class, () -> Interpreter.load(kfunc, NO_HELPERS));
    }

    @Test
    void misalignedAtomicsAreFaults() {
        var b = new ProgramBuilder().mov64(R1, 1).atomic(Size.DW, AtomicOp.ADD, false, R10, -12, R1)
                .mov64(R0, 0).exit();
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(b, 0));
        assertTrue(fault.getMessage().startsWith("insn 1: misaligned atomic access of 8 bytes"), fault.getMessage());
    }

    @Test
    void atomicsAreAtomicAcrossThreadsOnSharedAndArrayRegions() throws Exception {
        for (Region counter : List.of(Region.shared("counter", 16), Region.of("counter", new byte[16]))) {
            int threads = 4;
            int iterations = 20_000;
            var p = Interpreter.load(new ProgramBuilder()
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

    @Test
    void concurrentRunsDoNotShareStacks() throws Exception {
        // Each run stores its argument on the stack, spins, and reads it back.
        var p = Interpreter.load(new ProgramBuilder()
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

    @Test
    void resetClearsTheStackBetweenRuns() {
        var inv = new Invocation();
        var write = Interpreter.load(new ProgramBuilder().st(Size.DW, R10, -8, 99).mov64(R0, 0).exit().build(),
                NO_HELPERS);
        var read = Interpreter.load(new ProgramBuilder().ldx(Size.DW, R0, R10, -8).exit().build(), NO_HELPERS);
        write.run(inv, 0);
        inv.reset();
        assertEquals(0, read.run(inv, 0));
    }
}
