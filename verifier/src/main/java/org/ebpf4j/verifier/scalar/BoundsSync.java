package org.ebpf4j.verifier.scalar;

/**
 * The kernel's reg_bounds_sync: the nine facts of a scalar tighten one another. Known bits bound the ranges;
 * unsigned and signed ranges bound each other when they do not cross a sign boundary; 64-bit ranges bound the
 * low half when the high half cannot change, and the low half tightens the ends of the 64-bit ranges; the
 * ranges in turn make high bits known. Every step only removes values no member can have.
 */
final class BoundsSync {
    private BoundsSync() {}

    private static final long HIGH32 = 0xffff_ffff_0000_0000L;
    private static final long U32_MAX = WorkingScalar.U32_MAX;

    static void sync(WorkingScalar r) {
        updateFromBits(r);
        // Three rounds, as the kernel: each deduction can enable another.
        deduce(r);
        deduce(r);
        deduce(r);
        boundBits(r);
        // Intersecting the known bits with the ranges may have made more bits known.
        updateFromBits(r);
    }

    /** __update_reg_bounds: the smallest and largest values the known bits allow. */
    static void updateFromBits(WorkingScalar r) {
        updateFromBits32(r);
        updateFromBits64(r);
    }

    static void updateFromBits32(WorkingScalar r) {
        Tnum low = r.bits.subreg();
        r.s32min = Math.max(r.s32min, (int) (low.value() | (low.mask() & 0x8000_0000L)));
        r.s32max = Math.min(r.s32max, (int) (low.value() | (low.mask() & 0x7fff_ffffL)));
        r.u32min = Math.max(r.u32min, low.value());
        r.u32max = Math.min(r.u32max, low.value() | low.mask());
    }

    static void updateFromBits64(WorkingScalar r) {
        Tnum t = r.bits;
        r.smin = Math.max(r.smin, t.value() | (t.mask() & Long.MIN_VALUE));
        r.smax = Math.min(r.smax, t.value() | (t.mask() & Long.MAX_VALUE));
        r.umin = Unsigned.max(r.umin, t.value());
        r.umax = Unsigned.min(r.umax, t.value() | t.mask());
    }

    /** __reg_deduce_bounds. */
    static void deduce(WorkingScalar r) {
        deduce32(r);
        deduce64(r);
        deduceMixed(r);
    }

    /** __reg32_deduce_bounds: the low half's ranges from the 64-bit ones, and signed from unsigned. */
    private static void deduce32(WorkingScalar r) {
        if ((r.umin >>> 32) == (r.umax >>> 32)) {
            // The high half is fixed, so the low halves of the ends bound the low half.
            r.u32min = Math.max(r.u32min, r.umin & U32_MAX);
            r.u32max = Math.min(r.u32max, r.umax & U32_MAX);
            if ((int) r.umin <= (int) r.umax) {
                r.s32min = Math.max(r.s32min, (int) r.umin);
                r.s32max = Math.min(r.s32max, (int) r.umax);
            }
        }
        if ((r.smin >> 32) == (r.smax >> 32)) {
            if ((r.smin & U32_MAX) <= (r.smax & U32_MAX)) {
                r.u32min = Math.max(r.u32min, r.smin & U32_MAX);
                r.u32max = Math.min(r.u32max, r.smax & U32_MAX);
            }
            if ((int) r.smin <= (int) r.smax) {
                r.s32min = Math.max(r.s32min, (int) r.smin);
                r.s32max = Math.min(r.s32max, (int) r.smax);
            }
        }
        // High halves that are two consecutive numbers while the low half crosses from negative to
        // non-negative: the low half is still one s32 range (e.g. s64 [-1, 1]).
        if ((((r.umin >>> 32) + 1) & U32_MAX) == (r.umax >>> 32)
                && (int) r.umin < 0 && (int) r.umax >= 0) {
            r.s32min = Math.max(r.s32min, (int) r.umin);
            r.s32max = Math.min(r.s32max, (int) r.umax);
        }
        if ((((r.smin >>> 32) + 1) & U32_MAX) == (r.smax >>> 32)
                && (int) r.smin < 0 && (int) r.smax >= 0) {
            r.s32min = Math.max(r.s32min, (int) r.smin);
            r.s32max = Math.min(r.s32max, (int) r.smax);
        }
        // A u32 range on one side of the sign bit is also an s32 range, and the reverse.
        if ((int) r.u32min <= (int) r.u32max) {
            r.s32min = Math.max(r.s32min, (int) r.u32min);
            r.s32max = Math.min(r.s32max, (int) r.u32max);
        }
        if ((r.s32min & U32_MAX) <= (r.s32max & U32_MAX)) {
            r.u32min = Math.max(r.s32min & U32_MAX, r.u32min);
            r.u32max = Math.min(r.s32max & U32_MAX, r.u32max);
        }
    }

    /** __reg64_deduce_bounds: signed from unsigned and back, including the one-sided overlap cases. */
    private static void deduce64(WorkingScalar r) {
        if (r.umin <= r.umax) {
            // Read as signed, the unsigned range does not wrap: it is on one side of the sign bit.
            r.smin = Math.max(r.smin, r.umin);
            r.smax = Math.min(r.smax, r.umax);
        }
        if (Unsigned.lessOrEqual(r.smin, r.smax)) {
            r.umin = Unsigned.max(r.smin, r.umin);
            r.umax = Unsigned.min(r.smax, r.umax);
        } else if (Unsigned.less(r.umax, r.smin)) {
            // The signed range crosses zero, and the unsigned range meets only its non-negative part.
            r.smin = r.umin;
            r.umax = Unsigned.min(r.umax, r.smax);
        } else if (Unsigned.less(r.smax, r.umin)) {
            // ... or only its negative part.
            r.smax = r.umax;
            r.umin = Unsigned.max(r.umin, r.smin);
        }
    }

    /** __reg_deduce_mixed_bounds: the low half's ranges tighten the ends of the 64-bit ranges. */
    private static void deduceMixed(WorkingScalar r) {
        long newUmin = (r.umin & HIGH32) | r.u32min;
        long newUmax = (r.umax & HIGH32) | r.u32max;
        r.umin = Unsigned.max(r.umin, newUmin);
        r.umax = Unsigned.min(r.umax, newUmax);
        long newSmin = (r.smin & HIGH32) | r.u32min;
        long newSmax = (r.smax & HIGH32) | r.u32max;
        r.smin = Math.max(r.smin, newSmin);
        r.smax = Math.min(r.smax, newSmax);
        // After a sign extension from 32 bits: a value in [S32_MIN, S32_MAX] whose low half is non-negative
        // is that low half.
        if (r.s32min >= 0 && r.smin >= Integer.MIN_VALUE && r.smax <= Integer.MAX_VALUE) {
            r.smin = r.s32min;
            r.smax = r.s32max;
            r.umin = r.s32min;
            r.umax = r.s32max;
            r.bits = r.bits.intersect(Tnum.range(r.smin, r.smax));
        }
    }

    /** __reg_bound_offset: bits the unsigned ranges fix become known. */
    static void boundBits(WorkingScalar r) {
        Tnum whole = r.bits.intersect(Tnum.range(r.umin, r.umax));
        Tnum low = whole.subreg().intersect(Tnum.range(r.u32min, r.u32max));
        r.bits = whole.clearSubreg().or(low);
    }
}
