package org.ebpf4j.verifier.scalar;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Opcode;
import org.junit.jupiter.api.Test;

/**
 * Soundness of every ALU transfer function: for seeded random abstract operands and concrete members of them,
 * the concrete result ({@link ConcreteAlu}, i.e. {@code Alu}) is a member of the abstract result.
 */
class AluSoundnessTest {
    private static final int STATES_PER_FORM = 400;

    /** Every ALU/ALU64 encoding the kernel accepts, with the immediate or offset variants that matter. */
    private static List<Instruction> forms(Samples samples) {
        List<Instruction> out = new ArrayList<>();
        int[] binary = {Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV, Opcode.OR, Opcode.AND, Opcode.LSH,
            Opcode.RSH, Opcode.MOD, Opcode.XOR, Opcode.ARSH};
        for (int cls : new int[] {Opcode.ALU, Opcode.ALU64}) {
            for (int op : binary) {
                boolean divides = op == Opcode.DIV || op == Opcode.MOD;
                for (int off : divides ? new int[] {0, 1} : new int[] {0}) {
                    out.add(new Instruction(cls | op | Opcode.X, 1, 2, off, 0));
                    out.add(new Instruction(cls | op | Opcode.K, 1, 0, off, 0)); // imm replaced per state
                }
            }
            out.add(new Instruction(cls | Opcode.NEG, 1, 0, 0, 0));
            out.add(new Instruction(cls | Opcode.MOV | Opcode.K, 1, 0, 0, 0));
            for (int off : cls == Opcode.ALU64 ? new int[] {0, 8, 16, 32} : new int[] {0, 8, 16}) {
                out.add(new Instruction(cls | Opcode.MOV | Opcode.X, 1, 2, off, 0));
            }
            for (int bits : new int[] {16, 32, 64}) {
                out.add(new Instruction(cls | Opcode.END | Opcode.TO_LE, 1, 0, 0, bits));
                if (cls == Opcode.ALU) {
                    out.add(new Instruction(cls | Opcode.END | Opcode.TO_BE, 1, 0, 0, bits));
                }
            }
        }
        return out;
    }

    @Test
    void everyAluResultContainsTheConcreteResult() {
        Samples samples = new Samples(0x5eed_a1L);
        long checks = 0;
        for (Instruction form : forms(samples)) {
            boolean shift = switch (Opcode.code(form.opcode())) {
                case Opcode.LSH, Opcode.RSH, Opcode.ARSH -> true;
                default -> false;
            };
            boolean immediateOperand = form.usesImmediate() && Opcode.code(form.opcode()) != Opcode.NEG
                    && Opcode.code(form.opcode()) != Opcode.END;
            int width = Opcode.opClass(form.opcode()) == Opcode.ALU64 ? 64 : 32;
            for (int i = 0; i < STATES_PER_FORM; i++) {
                Instruction insn = form;
                if (immediateOperand) {
                    int imm = shift && samples.nextInt(4) != 0 ? samples.nextInt(width) : samples.immediate();
                    insn = new Instruction(form.opcode(), 1, 0, form.offset(), imm);
                }
                Samples.Sample dst = samples.sample();
                Samples.Sample src = shift && samples.nextInt(2) == 0
                        ? new Samples.Sample(Scalar.constant(samples.nextInt(width + 4)), null)
                        : samples.sample();
                long[] srcMembers = src.members() != null ? src.members() : new long[] {src.state().bits().value()};
                Scalar result = ScalarAlu.apply(insn, dst.state(), src.state());
                for (long d : dst.members()) {
                    for (long s : srcMembers) {
                        long concrete = ConcreteAlu.eval(insn, d, s);
                        checks++;
                        if (!result.contains(concrete)) {
                            fail(String.format("%s: dst %#x in %s, src %#x in %s gives %#x, not in %s",
                                    insn, d, dst.state(), s, src.state(), concrete, result));
                        }
                    }
                }
            }
        }
        System.out.println("ALU soundness checks: " + checks);
        assertTrue(checks > 100_000, "too few checks: " + checks);
    }

    @Test
    void truncationAndZeroExtensionContainTheConcreteValue() {
        Samples samples = new Samples(0x7a11);
        for (int i = 0; i < 3000; i++) {
            Samples.Sample s = samples.sample();
            Scalar zext = ScalarAlu.zeroExtend32(s.state());
            Scalar[] truncated = {ScalarAlu.truncate(s.state(), 1), ScalarAlu.truncate(s.state(), 2),
                ScalarAlu.truncate(s.state(), 4)};
            for (long v : s.members()) {
                assertTrue(zext.contains(v & 0xffff_ffffL), () -> "zext of " + v + " in " + s.state());
                assertTrue(truncated[0].contains(v & 0xff), () -> "u8 of " + v + " in " + s.state());
                assertTrue(truncated[1].contains(v & 0xffff), () -> "u16 of " + v + " in " + s.state());
                assertTrue(truncated[2].contains(v & 0xffff_ffffL), () -> "u32 of " + v + " in " + s.state());
            }
        }
    }
}
