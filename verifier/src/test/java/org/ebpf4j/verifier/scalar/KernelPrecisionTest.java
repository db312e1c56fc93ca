package org.ebpf4j.verifier.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.junit.jupiter.api.Test;

/**
 * Results the kernel is known to compute: register states printed by the Linux 6.18 verifier in the corpus
 * logs ({@code ../shared/verifier-corpus}, cases named per test) and the tnum examples of its documentation.
 * These keep the domain from being sound merely by knowing less than the kernel.
 */
class KernelPrecisionTest {
    private static final long S64_MIN = Long.MIN_VALUE;
    private static final long S64_MAX = Long.MAX_VALUE;
    private static final int S32_MIN = Integer.MIN_VALUE;
    private static final int S32_MAX = Integer.MAX_VALUE;
    private static final long U32_MAX = 0xffff_ffffL;

    private static Instruction alu64(int op, int imm) {
        return new Instruction(Opcode.ALU64 | op | Opcode.K, 1, 0, 0, imm);
    }

    private static Instruction alu32(int op, int imm) {
        return new Instruction(Opcode.ALU | op | Opcode.K, 1, 0, 0, imm);
    }

    private static Instruction alu32x(int op) {
        return new Instruction(Opcode.ALU | op | Opcode.X, 1, 2, 0, 0);
    }

    private static Scalar k(Instruction insn, Scalar dst) {
        return ScalarAlu.apply(insn, dst, null);
    }

    @Test
    void tnumArithmeticMatchesTheKernel() {
        // {1, 3} + 1: the carry makes bits 1 and 2 unknown.
        assertEquals(new Tnum(0, 0x6), new Tnum(1, 2).add(Tnum.constant(1)));
        assertEquals(new Tnum(0, 0x10000000), new Tnum(0, 1).mul(Tnum.constant(0x10000000)));
        assertEquals(new Tnum(0, 0xffff_ffff_ffff_e000L), new Tnum(0, 0x3f_ffff_ffff_ffffL).mul(Tnum.constant(8192)));
        // The kernel's own example, tnum_mul(x1, 11) = union(0011, 1001) = x0x1; the operand order matters.
        assertEquals(new Tnum(0b0001, 0b1010), new Tnum(0b01, 0b10).mul(Tnum.constant(0b11)));
        assertEquals(new Tnum(0b0001, 0b1110), Tnum.constant(0b11).mul(new Tnum(0b01, 0b10)));
        assertEquals(new Tnum(0, 7), Tnum.range(0, 4));
        assertEquals(new Tnum(0xffff_ffff_ffff_fffcL, 3), Tnum.range(-3, -1));
    }

    @Test
    void andWithAMaskBoundsTheResult() {
        Scalar r = k(alu64(Opcode.AND, 0xff), Scalar.unknown());
        assertEquals(new Scalar(new Tnum(0, 0xff), 0, 255, 0, 255, 0, 255, 0, 255), r);
    }

    /** test_verifier 0500: a modulo forgets, a shift and a multiplication keep what the kernel keeps. */
    @Test
    void moduloShiftAndMultiplyAsLinux() {
        assertEquals(Scalar.unknown(), k(new Instruction(Opcode.ALU64 | Opcode.MOD | Opcode.K, 6, 0, 0, 1025),
                Scalar.constant(1024)));
        Scalar r6 = Scalar.unsignedRange(0, 0xffff_ffff_8000_0000L);
        r6 = k(alu64(Opcode.RSH, 10), r6);
        assertEquals(new Scalar(new Tnum(0, 0x3f_ffff_ffff_ffffL), 0, 0x3f_ffff_ffe0_0000L, 0, 0x3f_ffff_ffe0_0000L,
                S32_MIN, S32_MAX, 0, U32_MAX), r6);
        r6 = k(alu64(Opcode.MUL, 8192), r6);
        assertEquals(new Scalar(new Tnum(0, 0xffff_ffff_ffff_e000L), S64_MIN, 0x7fff_ffff_ffff_e000L,
                0, 0xffff_ffff_ffff_e000L, S32_MIN, 0x7fff_e000, 0, 0xffff_e000L), r6);
    }

    /** verifier_and.bpf.o case 1, instructions 8 to 17. */
    @Test
    void thirtyTwoBitChainAsLinux() {
        Scalar u32 = new Scalar(new Tnum(0, U32_MAX), 0, U32_MAX, 0, U32_MAX, S32_MIN, S32_MAX, 0, U32_MAX);
        Scalar r1 = k(alu32(Opcode.MOD, 2), u32);
        assertEquals(Scalar.unknown(), r1, "w1 %= 2 leaves all 64 bits unknown in 6.18");
        r1 = k(alu32(Opcode.ADD, 1), r1);
        assertEquals(u32, r1);
        Scalar r9 = ScalarAlu.apply(alu32x(Opcode.AND), Scalar.constant(1), r1);
        Scalar zeroOrOne = new Scalar(new Tnum(0, 1), 0, 1, 0, 1, 0, 1, 0, 1);
        assertEquals(zeroOrOne, r9);
        r9 = k(alu32(Opcode.ADD, 1), r9);
        assertEquals(new Scalar(new Tnum(0, 3), 1, 2, 1, 2, 1, 2, 1, 2), r9);
        r9 = k(alu32(Opcode.RSH, 1), r9);
        assertEquals(zeroOrOne, r9);
        Scalar r3 = ScalarAlu.apply(alu32x(Opcode.SUB), Scalar.constant(1), r9);
        assertEquals(zeroOrOne, r3);
        r3 = k(alu32(Opcode.MUL, 0x1000_0000), r3);
        assertEquals(new Scalar(new Tnum(0, 0x1000_0000), 0, 0x1000_0000, 0, 0x1000_0000, 0, 0x1000_0000, 0,
                0x1000_0000), r3);
    }

    @Test
    void constantsStayConstant() {
        assertEquals(Scalar.constant(0), k(new Instruction(Opcode.ALU64 | Opcode.NEG, 0, 0, 0, 0), Scalar.constant(0)));
        assertEquals(Scalar.constant(0xffff_ffff_0000_0000L), k(alu64(Opcode.LSH, 32), Scalar.constant(U32_MAX)));
        assertEquals(Scalar.constant(U32_MAX), k(alu64(Opcode.RSH, 32), Scalar.constant(-1)));
        assertEquals(Scalar.constant(0x7fff_ffff), k(alu32(Opcode.RSH, 1), Scalar.constant(-1)));
        assertEquals(Scalar.unknown(), k(new Instruction(Opcode.ALU | Opcode.END | Opcode.TO_BE, 0, 0, 0, 64),
                Scalar.constant(1)), "6.18 forgets byte swaps");
    }

    @Test
    void signExtensionOfASmallRange() {
        Instruction movsx8 = new Instruction(Opcode.ALU64 | Opcode.MOV | Opcode.X, 1, 2, 8, 0);
        Scalar r = ScalarAlu.apply(movsx8, null, Scalar.unsignedRange(0x80, 0x85));
        assertEquals(new Scalar(Tnum.range(-128, -123), -128, -123, -128, -123, -128, -123,
                -128 & U32_MAX, -123 & U32_MAX), r);
        Scalar any = ScalarAlu.apply(movsx8, null, Scalar.unknown());
        assertEquals(-128, any.smin());
        assertEquals(127, any.smax());
    }

    @Test
    void unsignedGreaterThanSplitsTheRange() {
        Scalar ten = Scalar.constant(10);
        Operands fall = BranchRefinement.refine(JumpOp.JGT, false, false, Scalar.unknown(), ten);
        assertEquals(new Scalar(new Tnum(0, 0xf), 0, 10, 0, 10, 0, 10, 0, 10), fall.left());
        Operands taken = BranchRefinement.refine(JumpOp.JGT, false, true, Scalar.unknown(), ten);
        assertEquals(11, taken.left().umin());
        assertEquals(-1, taken.left().umax());
        assertEquals(ten, taken.right());
    }

    @Test
    void thirtyTwoBitSignedComparisonNarrowsTheLowHalfAndTheEnds() {
        // The kernel's own example (__reg_deduce_mixed_bounds): [0x1'00000000, 0x3'80000000] with s32 > 0.
        Scalar r = Scalar.unsignedRange(0x1_0000_0000L, 0x3_8000_0000L);
        Operands taken = BranchRefinement.refine(JumpOp.JSGT, true, true, r, Scalar.constant(0));
        assertEquals(0x1_0000_0001L, taken.left().umin());
        assertEquals(0x3_7fff_ffffL, taken.left().umax());
    }

    @Test
    void jsetLearnsBits() {
        Operands set = BranchRefinement.refine(JumpOp.JSET, false, true, Scalar.unsignedRange(0, 0xff),
                Scalar.constant(0x10));
        assertEquals(new Tnum(0x10, 0xef), set.left().bits());
        Operands clear = BranchRefinement.refine(JumpOp.JSET, false, false, Scalar.unsignedRange(0, 0xff),
                Scalar.constant(0x80));
        assertEquals(new Tnum(0, 0x7f), clear.left().bits());
        assertEquals(0x7f, clear.left().umax());
    }

    @Test
    void predictionsTheKernelMakes() {
        Scalar smallRange = Scalar.unsignedRange(0, 4);
        assertEquals(BranchOutcome.ALWAYS, BranchPrediction.predict(JumpOp.JGT, false, Scalar.constant(5), smallRange));
        assertEquals(BranchOutcome.NEVER, BranchPrediction.predict(JumpOp.JEQ, false, smallRange, Scalar.constant(9)));
        assertEquals(BranchOutcome.UNKNOWN, BranchPrediction.predict(JumpOp.JLT, false, smallRange, Scalar.constant(3)));
        assertEquals(BranchOutcome.ALWAYS, BranchPrediction.predict(JumpOp.JSLT, false, Scalar.constant(-1), smallRange));
        // The tnum_overlap example of its commit: known bits disagree, so r1 != r0 always.
        Scalar r0 = Scalar.of(new Tnum(0, 0xc000_0000L));
        Scalar r1 = Scalar.of(new Tnum(0x400, 0xc000_0000L));
        assertEquals(BranchOutcome.ALWAYS, BranchPrediction.predict(JumpOp.JNE, false, r1, r0));
        // JMP32 reads only the low halves: 0x1'00000005 and 5 are equal there.
        assertEquals(BranchOutcome.ALWAYS,
                BranchPrediction.predict(JumpOp.JEQ, true, Scalar.constant(0x1_0000_0005L), Scalar.constant(5)));
        assertEquals(BranchOutcome.ALWAYS,
                BranchPrediction.predict(JumpOp.JSET, false, Scalar.of(new Tnum(4, 3)), Scalar.constant(4)));
        assertEquals(BranchOutcome.NEVER,
                BranchPrediction.predict(JumpOp.JSET, false, Scalar.of(new Tnum(4, 3)), Scalar.constant(8)));
    }

    @Test
    void pruningContainment() {
        Scalar narrow = Scalar.unsignedRange(2, 5);
        Scalar wide = Scalar.unsignedRange(0, 10);
        assertEquals(true, narrow.isWithin(wide));
        assertEquals(false, wide.isWithin(narrow));
        assertEquals(true, Scalar.constant(7).isWithin(Scalar.unknown()));
        assertEquals(wide.join(narrow).isWithin(wide), true);
    }
}
