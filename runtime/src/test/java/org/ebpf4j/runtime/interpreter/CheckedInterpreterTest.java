package org.ebpf4j.runtime.interpreter;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.maps.MapTable;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.CheckedInterpreter.UninitializedStack;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.HelperFunction;
import org.junit.jupiter.api.Test;

/** The checked interpreter finds each broken promise of the verifier, and otherwise computes what the interpreter does. */
class CheckedInterpreterTest {
    private static final int PRANDOM = HelperFunction.GET_PRANDOM_U32.value();
    private static final int PROBE_READ_KERNEL = HelperFunction.PROBE_READ_KERNEL.value();
    /** bpf_get_prandom_u32 as 4, and bpf_probe_read_kernel that fills its buffer with 7s. */
    private static final HelperRegistry HELPERS = HelperRegistry.empty()
            .with(PRANDOM, "bpf_get_prandom_u32", (ctx, a, b, c, d, e) -> 4)
            .with(PROBE_READ_KERNEL, "bpf_probe_read_kernel", (ctx, a, b, c, d, e) -> {
                for (int i = 0; i < b; i++) {
                    ctx.memory().store(a + i, 1, 7);
                }
                return 0;
            });

    private static long run(ProgramBuilder b, long budget, UninitializedStack stack) {
        var checked = CheckedInterpreter.load(b.build(), HELPERS, null, budget, stack);
        var invocation = new Invocation();
        long r1 = invocation.map(Region.of("ctx", new byte[16]));
        return checked.run(invocation, r1, 0, 0, 0, 0);
    }

    private static long run(ProgramBuilder b) {
        return run(b, 1000, UninitializedStack.FORBIDDEN);
    }

    private static String violation(ProgramBuilder b) {
        return violation(b, 1000, UninitializedStack.FORBIDDEN);
    }

    private static String violation(ProgramBuilder b, long budget, UninitializedStack stack) {
        ProgramFault fault = assertThrows(ProgramFault.class, () -> run(b, budget, stack));
        return fault.getMessage();
    }

    @Test
    void computesWhatTheInterpreterComputes() {
        var b = new ProgramBuilder().mov64(R0, 5).ldx(Size.W, R2, R1, 0).alu64(AluOp.ADD, R0, R2)
                .mov32(R3, -1).alu64(AluOp.ADD, R0, R3).stx(Size.DW, R10, -8, R0).ldx(Size.H, R0, R10, -8).exit();
        var reference = Interpreter.load(b.build(), HELPERS);
        var invocation = new Invocation();
        long expected = reference.run(invocation, invocation.map(Region.of("ctx", new byte[16])));
        assertEquals(expected, run(b));
        assertEquals(4, expected);
    }

    @Test
    void aRegisterReadBeforeItIsWrittenIsAViolation() {
        assertEquals("insn 0: unsound: R2 read before it was written (the verifier's !read_ok)",
                violation(new ProgramBuilder().mov64(R0, R2).exit()));
        assertEquals("insn 0: unsound: R0 read before it was written (the verifier's !read_ok)",
                violation(new ProgramBuilder().exit()));
    }

    /** prepare_func_exit copies the callee's r0 as it is: unset is no error until the caller reads it. */
    @Test
    void aSubprogramMayReturnR0Unset() {
        var overwritten = new ProgramBuilder().callLocal("sub").mov64(R0, 1).exit()
                .label("sub").st(Size.B, R10, -8, 0).exit();
        assertEquals(1, run(overwritten));
        var read = new ProgramBuilder().callLocal("sub").exit()
                .label("sub").st(Size.B, R10, -8, 0).exit();
        assertEquals("insn 1: unsound: R0 read before it was written (the verifier's !read_ok)", violation(read));
    }

    @Test
    void helpersAndCallsClobberR1ToR5() {
        assertEquals("insn 2: unsound: R1 read before it was written (the verifier's !read_ok)",
                violation(new ProgramBuilder().mov64(R6, R1).call(PRANDOM).mov64(R0, R1).exit()));
        // The callee sees r1-r5, not the caller's r6-r9; the caller gets r6-r9 back and r0, not r1-r5.
        assertEquals("insn 5: unsound: R6 read before it was written (the verifier's !read_ok)",
                violation(new ProgramBuilder().mov64(R6, 1).callLocal("f").alu64(AluOp.ADD, R0, R6).exit()
                        .label("f").mov64(R0, R1).mov64(R0, R6).exit()));
        assertEquals(4, run(new ProgramBuilder().mov64(R6, 3).callLocal("f").alu64(AluOp.ADD, R0, R6).exit()
                .label("f").mov64(R0, R1).mov64(R0, 1).exit()));
        assertEquals("insn 2: unsound: R2 read before it was written (the verifier's !read_ok)",
                violation(new ProgramBuilder().mov64(R2, 1).callLocal("f").mov64(R0, R2).exit()
                        .label("f").mov64(R0, 0).exit()));
    }

    @Test
    void runningPastTheVerifiersInstructionCountIsAViolation() {
        var loop = new ProgramBuilder().mov64(R0, 0).label("l").alu64(AluOp.ADD, R0, 1)
                .jump(JumpOp.JLT, R0, 10, "l").exit();
        assertEquals(10, run(loop, 22, UninitializedStack.ALLOWED));
        assertEquals("insn 3: unsound: ran more than 21 instructions, the verifier's processed count",
                violation(loop, 21, UninitializedStack.ALLOWED));
    }

    @Test
    void unwrittenStackBytesAreAViolationOnlyForUnprivilegedPrograms() {
        var read = new ProgramBuilder().st(Size.W, R10, -8, 1).ldx(Size.DW, R0, R10, -8).exit();
        assertEquals(1, run(read, 100, UninitializedStack.ALLOWED));
        assertEquals("insn 1: unsound: read of stack byte 0x1000001fc before it was written",
                violation(read, 100, UninitializedStack.FORBIDDEN));
        // Bytes a helper writes (MEM_UNINIT) count as written.
        var helperWrites = new ProgramBuilder().mov64(R1, R10).alu64(AluOp.ADD, R1, -8).mov64(R2, 8).mov64(R3, 0)
                .call(PROBE_READ_KERNEL).ldx(Size.DW, R0, R10, -8).exit();
        assertEquals(0x0707_0707_0707_0707L, run(helperWrites));
    }

    @Test
    void anAccessPastAMapValueIntoTheNextIsAViolation() {
        JvmMap array = JvmMaps.create(new MapSpec("values", MapType.ARRAY, 4, 12, 1, 0, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.LEGACY), 1);
        try {
            var program = new ProgramBuilder().st(Size.W, R10, -4, 0).lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 0)
                    .mov64(R2, R10).alu64(AluOp.ADD, R2, -4).call(HelperFunction.MAP_LOOKUP_ELEM.value())
                    .jump(JumpOp.JEQ, R0, 0, "out").ldx(Size.W, R0, R0, 12).label("out").exit().build();
            long element = Pointer.regionId(array.directValueAddress(0));
            var values = List.of(new CheckedInterpreter.MapValues("values", (int) element, 16, 12));
            var checked = CheckedInterpreter.load(program, MapHelpers.register(HELPERS), MapTable.byIndex(List.of(
                    array)), 100, UninitializedStack.ALLOWED, values);
            ProgramFault fault = assertThrows(ProgramFault.class, () -> checked.run(new Invocation(), 0, 0, 0, 0, 0));
            assertEquals("insn 7: unsound: access of 4 bytes at offset 12 of a value of map 'values' (value_size 12)",
                    fault.getMessage());
        } finally {
            array.close();
        }
    }

    @Test
    void memoryFaultsKeepTheInterpretersReason() {
        String fault = violation(new ProgramBuilder().ldx(Size.W, R0, R1, 16).exit());
        assertTrue(fault.startsWith("insn 0: read of 4 bytes at ") && !fault.contains("unsound"), fault);
    }
}
