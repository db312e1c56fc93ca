package org.ebpf4j.verifier.scalar;

import org.ebpf4j.isa.JumpOp;

/**
 * What each path of a conditional jump learns about its two scalar operands (the kernel's reg_set_min_max:
 * regs_refine_cond_op, then reg_bounds_sync and the bounds sanity check on each operand).
 *
 * <p>Meant for jumps whose {@link BranchPrediction} is {@link BranchOutcome#UNKNOWN}, as the kernel uses it; on a
 * path that no member pair can take the result is meaningless (but still holds every member, vacuously). When
 * narrowing empties a range, as only an infeasible path can, the kernel's sanity check forgets that operand's
 * bounds and keeps its known bits; so does this class.
 */
public final class BranchRefinement {
    private BranchRefinement() {}

    private static final long U32_MAX = WorkingScalar.U32_MAX;

    /** The operands on the jump's target path ({@code taken}) or its fall-through path. */
    public static Operands refine(JumpOp op, boolean jmp32, boolean taken, Scalar left, Scalar right) {
        Comparison c = Comparison.of(op);
        return refine(taken ? c : c.negated(), jmp32, left, right);
    }

    static Operands refine(Comparison c, boolean jmp32, Scalar left, Scalar right) {
        WorkingScalar a = new WorkingScalar(left);
        WorkingScalar b = new WorkingScalar(right);
        narrow(c, jmp32, a, b);
        return new Operands(settle(a), settle(b));
    }

    /** regs_refine_cond_op: narrows both operands so that {@code a <c> b} holds for what remains. */
    private static void narrow(Comparison c, boolean jmp32, WorkingScalar a, WorkingScalar b) {
        switch (c) {
            // Greater-than relations are the less-than ones with the operands exchanged.
            case GT, GE, SGT, SGE -> narrow(c.swapped(), jmp32, b, a);
            case EQ -> equal(jmp32, a, b);
            case NE -> notEqual(jmp32, a, b);
            case SET -> bitSet(jmp32, a, b);
            case CLEAR -> bitsClear(jmp32, a, b);
            case LE -> {
                if (jmp32) {
                    a.u32max = Math.min(a.u32max, b.u32max);
                    b.u32min = Math.max(a.u32min, b.u32min);
                } else {
                    a.umax = Unsigned.min(a.umax, b.umax);
                    b.umin = Unsigned.max(a.umin, b.umin);
                }
            }
            case LT -> {
                // The kernel's arithmetic wraps at the ends (umax - 1 of 0); only infeasible paths get there.
                if (jmp32) {
                    a.u32max = Math.min(a.u32max, (b.u32max - 1) & U32_MAX);
                    b.u32min = Math.max((a.u32min + 1) & U32_MAX, b.u32min);
                } else {
                    a.umax = Unsigned.min(a.umax, b.umax - 1);
                    b.umin = Unsigned.max(a.umin + 1, b.umin);
                }
            }
            case SLE -> {
                if (jmp32) {
                    a.s32max = Math.min(a.s32max, b.s32max);
                    b.s32min = Math.max(a.s32min, b.s32min);
                } else {
                    a.smax = Math.min(a.smax, b.smax);
                    b.smin = Math.max(a.smin, b.smin);
                }
            }
            case SLT -> {
                if (jmp32) {
                    a.s32max = Math.min(a.s32max, b.s32max - 1);
                    b.s32min = Math.max(a.s32min + 1, b.s32min);
                } else {
                    a.smax = Math.min(a.smax, b.smax - 1);
                    b.smin = Math.max(a.smin + 1, b.smin);
                }
            }
        }
    }

    /** Both operands hold the same value: each gets the intersection of both. */
    private static void equal(boolean jmp32, WorkingScalar a, WorkingScalar b) {
        if (jmp32) {
            a.u32min = Math.max(a.u32min, b.u32min);
            a.u32max = Math.min(a.u32max, b.u32max);
            a.s32min = Math.max(a.s32min, b.s32min);
            a.s32max = Math.min(a.s32max, b.s32max);
            b.u32min = a.u32min;
            b.u32max = a.u32max;
            b.s32min = a.s32min;
            b.s32max = a.s32max;
            Tnum low = a.bits.subreg().intersect(b.bits.subreg());
            a.bits = a.bits.withSubreg(low);
            b.bits = b.bits.withSubreg(low);
        } else {
            a.umin = Unsigned.max(a.umin, b.umin);
            a.umax = Unsigned.min(a.umax, b.umax);
            a.smin = Math.max(a.smin, b.smin);
            a.smax = Math.min(a.smax, b.smax);
            b.umin = a.umin;
            b.umax = a.umax;
            b.smin = a.smin;
            b.smax = a.smax;
            a.bits = a.bits.intersect(b.bits);
            b.bits = a.bits;
        }
    }

    /** Against a constant at the edge of the other's range, that edge moves in by one. */
    private static void notEqual(boolean jmp32, WorkingScalar a, WorkingScalar b) {
        if (!isConst(b, jmp32)) {
            WorkingScalar t = a;
            a = b;
            b = t;
        }
        if (!isConst(b, jmp32)) {
            return;
        }
        long val = constValue(b, jmp32);
        if (jmp32) {
            if (a.u32min == (val & U32_MAX)) a.u32min = (a.u32min + 1) & U32_MAX;
            if (a.u32max == (val & U32_MAX)) a.u32max = (a.u32max - 1) & U32_MAX;
            if (a.s32min == (int) val) a.s32min++;
            if (a.s32max == (int) val) a.s32max--;
        } else {
            if (a.umin == val) a.umin++;
            if (a.umax == val) a.umax--;
            if (a.smin == val) a.smin++;
            if (a.smax == val) a.smax--;
        }
    }

    /**
     * {@code a & b != 0} with b a known single bit: that bit of a is 1. With several bits nothing definite is
     * learned (which of them is set?).
     */
    private static void bitSet(boolean jmp32, WorkingScalar a, WorkingScalar b) {
        if (!isConst(b, jmp32)) {
            WorkingScalar t = a;
            a = b;
            b = t;
        }
        if (!isConst(b, jmp32)) {
            return;
        }
        long val = constValue(b, jmp32);
        if (Long.bitCount(val) != 1) {
            return;
        }
        if (jmp32) {
            a.bits = a.bits.withSubreg(a.bits.subreg().or(Tnum.constant(val)));
        } else {
            a.bits = a.bits.or(Tnum.constant(val));
        }
    }

    /** {@code a & b == 0} with b known: every bit of b is 0 in a. */
    private static void bitsClear(boolean jmp32, WorkingScalar a, WorkingScalar b) {
        if (!isConst(b, jmp32)) {
            WorkingScalar t = a;
            a = b;
            b = t;
        }
        if (!isConst(b, jmp32)) {
            return;
        }
        long val = constValue(b, jmp32);
        // Forget the ranges before narrowing the known bits, so that an infeasible path cannot leave them
        // contradicting each other; the synchronisation rebuilds them from the bits.
        a.markUnbounded();
        if (jmp32) {
            a.bits = a.bits.withSubreg(a.bits.subreg().and(Tnum.constant(~val)));
        } else {
            a.bits = a.bits.and(Tnum.constant(~val));
        }
    }

    private static boolean isConst(WorkingScalar s, boolean low32) {
        return low32 ? s.bits.isSubregConst() : s.bits.isConst();
    }

    private static long constValue(WorkingScalar s, boolean low32) {
        return low32 ? s.bits.subreg().value() : s.bits.value();
    }

    /** reg_bounds_sync, then reg_bounds_sanity_check's recovery: forget bounds that contradict. */
    private static Scalar settle(WorkingScalar w) {
        BoundsSync.sync(w);
        if (violatesInvariants(w)) {
            w.markUnbounded();
        }
        return w.toScalar();
    }

    private static boolean violatesInvariants(WorkingScalar w) {
        if (Unsigned.less(w.umax, w.umin) || w.smin > w.smax || w.u32min > w.u32max || w.s32min > w.s32max) {
            return true;
        }
        if (w.bits.isConst()) {
            long v = w.bits.value();
            if (w.umin != v || w.umax != v || w.smin != v || w.smax != v) {
                return true;
            }
        }
        if (w.bits.isSubregConst()) {
            long v = w.bits.subreg().value();
            return w.u32min != v || w.u32max != v || w.s32min != (int) v || w.s32max != (int) v;
        }
        return false;
    }
}
