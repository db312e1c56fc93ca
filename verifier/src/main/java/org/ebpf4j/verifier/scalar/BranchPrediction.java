package org.ebpf4j.verifier.scalar;

import org.ebpf4j.isa.JumpOp;

/**
 * Whether a conditional jump between two scalars is decided by what is known of them (the kernel's
 * is_scalar_branch_taken), so that the verifier explores only the live path. A JMP32 comparison reads the
 * low halves: their known bits and 32-bit ranges.
 *
 * <p>When both operands are the same register the kernel decides some comparisons from that identity
 * ({@code r1 == r1}); that is a fact about registers, not about values, and belongs to the caller.
 */
public final class BranchPrediction {
    private BranchPrediction() {}

    /** The outcome of {@code if left <op> right goto} for every pair of members. */
    public static BranchOutcome predict(JumpOp op, boolean jmp32, Scalar left, Scalar right) {
        return predict(Comparison.of(op), jmp32, left, right);
    }

    static BranchOutcome predict(Comparison c, boolean jmp32, Scalar a, Scalar b) {
        View x = new View(a, jmp32);
        View y = new View(b, jmp32);
        return switch (c) {
            case EQ -> equality(x, y, a, b, jmp32);
            case NE -> invert(equality(x, y, a, b, jmp32));
            case SET -> bitTest(a, b, jmp32);
            case CLEAR -> invert(bitTest(a, b, jmp32));
            case GT -> decide(Unsigned.less(y.umax, x.umin), Unsigned.lessOrEqual(x.umax, y.umin));
            case GE -> decide(Unsigned.lessOrEqual(y.umax, x.umin), Unsigned.less(x.umax, y.umin));
            case LT -> decide(Unsigned.less(x.umax, y.umin), Unsigned.lessOrEqual(y.umax, x.umin));
            case LE -> decide(Unsigned.lessOrEqual(x.umax, y.umin), Unsigned.less(y.umax, x.umin));
            case SGT -> decide(x.smin > y.smax, x.smax <= y.smin);
            case SGE -> decide(x.smin >= y.smax, x.smax < y.smin);
            case SLT -> decide(x.smax < y.smin, x.smin >= y.smax);
            case SLE -> decide(x.smax <= y.smin, x.smin > y.smax);
        };
    }

    /** Whether the operands are equal: JNE is decided by the same facts, with the answer inverted. */
    private static BranchOutcome equality(View x, View y, Scalar a, Scalar b, boolean jmp32) {
        if (x.bits.isConst() && y.bits.isConst()) {
            return x.bits.value() == y.bits.value() ? BranchOutcome.ALWAYS : BranchOutcome.NEVER;
        }
        // Known bits that disagree (6.18's tnum_overlap), then ranges that do not meet.
        if (!x.bits.overlaps(y.bits)
                || Unsigned.less(y.umax, x.umin) || Unsigned.less(x.umax, y.umin)
                || x.smin > y.smax || x.smax < y.smin) {
            return BranchOutcome.NEVER;
        }
        // Inconclusive 64-bit ranges: the low halves may still never meet.
        if (!jmp32 && (a.u32min() > b.u32max() || a.u32max() < b.u32min()
                || a.s32min() > b.s32max() || a.s32max() < b.s32min())) {
            return BranchOutcome.NEVER;
        }
        return BranchOutcome.UNKNOWN;
    }

    private static BranchOutcome bitTest(Scalar a, Scalar b, boolean jmp32) {
        if (!isConst(b, jmp32)) {
            Scalar t = a;
            a = b;
            b = t;
        }
        if (!isConst(b, jmp32)) {
            return BranchOutcome.UNKNOWN;
        }
        Tnum t1 = jmp32 ? a.bits().subreg() : a.bits();
        long bits = b.constValue(jmp32);
        if ((~t1.mask() & t1.value() & bits) != 0) {
            return BranchOutcome.ALWAYS;
        }
        if (((t1.mask() | t1.value()) & bits) == 0) {
            return BranchOutcome.NEVER;
        }
        return BranchOutcome.UNKNOWN;
    }

    static boolean isConst(Scalar s, boolean low32) {
        return low32 ? s.isSubregConst() : s.isConst();
    }

    private static BranchOutcome decide(boolean always, boolean never) {
        return always ? BranchOutcome.ALWAYS : never ? BranchOutcome.NEVER : BranchOutcome.UNKNOWN;
    }

    private static BranchOutcome invert(BranchOutcome o) {
        return switch (o) {
            case ALWAYS -> BranchOutcome.NEVER;
            case NEVER -> BranchOutcome.ALWAYS;
            case UNKNOWN -> BranchOutcome.UNKNOWN;
        };
    }

    /** The facts a comparison of this width reads: the whole register, or its low half widened. */
    private record View(Tnum bits, long umin, long umax, long smin, long smax) {
        View(Scalar s, boolean low32) {
            this(low32 ? s.bits().subreg() : s.bits(),
                    low32 ? s.u32min() : s.umin(), low32 ? s.u32max() : s.umax(),
                    low32 ? s.s32min() : s.smin(), low32 ? s.s32max() : s.smax());
        }
    }
}
