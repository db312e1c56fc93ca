package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Condition;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every conditional jump, both widths, register and immediate forms, forward and backward (a backward jump that
 * counts towards the loop limit branches on the negated test), with and without constant blinding, on operands at
 * the edges of both widths' signed and unsigned orders: the compiled branch goes where {@link Condition} says.
 */
class CompareAndBranchTest {
    private static final long[] EDGES = {0, 1, 2, -1, -2, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L,
        0x17fffffffL, 0xffffffff00000000L, 0xffffffff80000000L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000000000000001L};
    private static final int[] IMMEDIATES = {0, 1, 2, -1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000};

    @ParameterizedTest
    @EnumSource(value = JumpOp.class, names = {"JA", "CALL", "EXIT"}, mode = EnumSource.Mode.EXCLUDE)
    void registerOperands(JumpOp op) {
        for (boolean wide : new boolean[] {true, false}) {
            for (boolean backward : new boolean[] {false, true}) {
                for (long limit : new long[] {Long.MAX_VALUE, 1_000}) {
                    var b = new ProgramBuilder().mov64(R0, 0);
                    test(b, op, wide, backward, 0, jump -> {
                        if (wide) {
                            jump.jump(op, R1, R2, "taken0");
                        } else {
                            jump.jump32(op, R1, R2, "taken0");
                        }
                    });
                    Executable compiled = compile(b.exit().build(), limit, false);
                    for (long a : EDGES) {
                        for (long c : EDGES) {
                            long expected = holds(op, wide, a, c) ? 1 : 0;
                            assertEquals(expected, compiled.run(new Invocation(), a, c, 0, 0, 0),
                                    () -> describe(op, wide, backward) + String.format(" r1=0x%x r2=0x%x", a, c));
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = JumpOp.class, names = {"JA", "CALL", "EXIT"}, mode = EnumSource.Mode.EXCLUDE)
    void immediateOperands(JumpOp op) {
        for (boolean wide : new boolean[] {true, false}) {
            for (boolean backward : new boolean[] {false, true}) {
                for (boolean blind : new boolean[] {false, true}) {
                    var b = new ProgramBuilder().mov64(R0, 0);
                    for (int i = 0; i < IMMEDIATES.length; i++) {
                        int imm = IMMEDIATES[i];
                        String taken = "taken" + i;
                        test(b, op, wide, backward, i, jump -> {
                            if (wide) {
                                jump.jump(op, R1, imm, taken);
                            } else {
                                jump.jump32(op, R1, imm, taken);
                            }
                        });
                    }
                    Executable compiled = compile(b.exit().build(), 1_000, blind);
                    for (long a : EDGES) {
                        long expected = 0;
                        for (int i = 0; i < IMMEDIATES.length; i++) {
                            expected |= holds(op, wide, a, IMMEDIATES[i]) ? 1L << i : 0;
                        }
                        long actual = compiled.run(new Invocation(), a, 0, 0, 0, 0);
                        assertEquals(Long.toBinaryString(expected), Long.toBinaryString(actual),
                                () -> describe(op, wide, backward) + (blind ? ", blinded" : "")
                                        + String.format(" r1=0x%x", a));
                    }
                }
            }
        }
    }

    /** Emits one test that sets bit {@code bit} of r0 when the jump is taken. */
    private static void test(ProgramBuilder b, JumpOp op, boolean wide, boolean backward, int bit,
                             java.util.function.Consumer<ProgramBuilder> jump) {
        String taken = "taken" + bit;
        String next = "next" + bit;
        if (backward) {
            String check = "check" + bit;
            b.ja(check).label(taken).alu64(AluOp.OR, R0, 1 << bit).ja(next).label(check);
            jump.accept(b);
            b.label(next);
        } else {
            jump.accept(b);
            b.ja(next).label(taken).alu64(AluOp.OR, R0, 1 << bit).label(next);
        }
    }

    private static Executable compile(Instructions program, long backwardJumpLimit, boolean blind) {
        Executable executable = Jit.load(program, HelperRegistry.empty(), backwardJumpLimit, null, blind);
        return assertInstanceOf(JitProgram.class, executable);
    }

    private static boolean holds(JumpOp op, boolean wide, long a, long b) {
        return wide ? Condition.test64(op.code, a, b) : Condition.test32(op.code, a, b);
    }

    private static String describe(JumpOp op, boolean wide, boolean backward) {
        return op + (wide ? "" : "32") + (backward ? " backward" : " forward");
    }
}
