package org.ebpf4j.verifier.scalar;

/**
 * Ranges after add, sub and mul (the kernel's scalar{32,}_min_max_{add,sub,mul}): the ends of the result are
 * computed from the ends of the operands unless an overflow could make the result's range wrap, in which case
 * that range is forgotten. The known bits are computed by the caller.
 */
final class ArithmeticBounds {
    private ArithmeticBounds() {}

    private static final long U32_MAX = WorkingScalar.U32_MAX;

    static void add32(WorkingScalar dst, WorkingScalar src) {
        long smin = (long) dst.s32min + src.s32min;
        long smax = (long) dst.s32max + src.s32max;
        if (outsideInt(smin) || outsideInt(smax)) {
            dst.s32min = Integer.MIN_VALUE;
            dst.s32max = Integer.MAX_VALUE;
        } else {
            dst.s32min = (int) smin;
            dst.s32max = (int) smax;
        }
        long umin = dst.u32min + src.u32min;
        long umax = dst.u32max + src.u32max;
        // If every sum wraps, or none does, the ends stay in order; if only the larger end wraps, no range.
        if (umin <= U32_MAX && umax > U32_MAX) {
            dst.u32min = 0;
            dst.u32max = U32_MAX;
        } else {
            dst.u32min = umin & U32_MAX;
            dst.u32max = umax & U32_MAX;
        }
    }

    static void add64(WorkingScalar dst, WorkingScalar src) {
        long smin = dst.smin + src.smin;
        long smax = dst.smax + src.smax;
        if (addOverflows(dst.smin, src.smin, smin) || addOverflows(dst.smax, src.smax, smax)) {
            dst.smin = Long.MIN_VALUE;
            dst.smax = Long.MAX_VALUE;
        } else {
            dst.smin = smin;
            dst.smax = smax;
        }
        long umin = dst.umin + src.umin;
        long umax = dst.umax + src.umax;
        boolean minWraps = Unsigned.less(umin, dst.umin);
        boolean maxWraps = Unsigned.less(umax, dst.umax);
        if (!minWraps && maxWraps) {
            dst.umin = 0;
            dst.umax = -1;
        } else {
            dst.umin = umin;
            dst.umax = umax;
        }
    }

    static void sub32(WorkingScalar dst, WorkingScalar src) {
        long smin = (long) dst.s32min - src.s32max;
        long smax = (long) dst.s32max - src.s32min;
        if (outsideInt(smin) || outsideInt(smax)) {
            dst.s32min = Integer.MIN_VALUE;
            dst.s32max = Integer.MAX_VALUE;
        } else {
            dst.s32min = (int) smin;
            dst.s32max = (int) smax;
        }
        long umin = dst.u32min - src.u32max;
        long umax = dst.u32max - src.u32min;
        if (umin < 0 && umax >= 0) {
            dst.u32min = 0;
            dst.u32max = U32_MAX;
        } else {
            dst.u32min = umin & U32_MAX;
            dst.u32max = umax & U32_MAX;
        }
    }

    static void sub64(WorkingScalar dst, WorkingScalar src) {
        long smin = dst.smin - src.smax;
        long smax = dst.smax - src.smin;
        if (subOverflows(dst.smin, src.smax, smin) || subOverflows(dst.smax, src.smin, smax)) {
            dst.smin = Long.MIN_VALUE;
            dst.smax = Long.MAX_VALUE;
        } else {
            dst.smin = smin;
            dst.smax = smax;
        }
        boolean minWraps = Unsigned.less(dst.umin, src.umax);
        boolean maxWraps = Unsigned.less(dst.umax, src.umin);
        long umin = dst.umin - src.umax;
        long umax = dst.umax - src.umin;
        if (minWraps && !maxWraps) {
            dst.umin = 0;
            dst.umax = -1;
        } else {
            dst.umin = umin;
            dst.umax = umax;
        }
    }

    static void mul32(WorkingScalar dst, WorkingScalar src) {
        long umax = dst.u32max * src.u32max;
        long umin = dst.u32min * src.u32min;
        // Both factors are below 2^32, so the products are exact in unsigned 64-bit arithmetic.
        if (Unsigned.less(U32_MAX, umax) || Unsigned.less(U32_MAX, umin)) {
            dst.u32min = 0;
            dst.u32max = U32_MAX;
        } else {
            dst.u32min = umin;
            dst.u32max = umax;
        }
        long p0 = (long) dst.s32min * src.s32min;
        long p1 = (long) dst.s32min * src.s32max;
        long p2 = (long) dst.s32max * src.s32min;
        long p3 = (long) dst.s32max * src.s32max;
        if (outsideInt(p0) || outsideInt(p1) || outsideInt(p2) || outsideInt(p3)) {
            dst.s32min = Integer.MIN_VALUE;
            dst.s32max = Integer.MAX_VALUE;
        } else {
            dst.s32min = (int) Math.min(Math.min(p0, p1), Math.min(p2, p3));
            dst.s32max = (int) Math.max(Math.max(p0, p1), Math.max(p2, p3));
        }
    }

    static void mul64(WorkingScalar dst, WorkingScalar src) {
        if (Math.unsignedMultiplyHigh(dst.umax, src.umax) != 0
                || Math.unsignedMultiplyHigh(dst.umin, src.umin) != 0) {
            dst.umin = 0;
            dst.umax = -1;
        } else {
            dst.umin = dst.umin * src.umin;
            dst.umax = dst.umax * src.umax;
        }
        long[] factors = {dst.smin, dst.smax};
        long[] others = {src.smin, src.smax};
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long a : factors) {
            for (long b : others) {
                long p = a * b;
                if (Math.multiplyHigh(a, b) != (p >> 63)) {
                    dst.smin = Long.MIN_VALUE;
                    dst.smax = Long.MAX_VALUE;
                    return;
                }
                lo = Math.min(lo, p);
                hi = Math.max(hi, p);
            }
        }
        dst.smin = lo;
        dst.smax = hi;
    }

    private static boolean outsideInt(long v) {
        return v < Integer.MIN_VALUE || v > Integer.MAX_VALUE;
    }

    private static boolean addOverflows(long a, long b, long sum) {
        return ((a ^ sum) & (b ^ sum)) < 0;
    }

    private static boolean subOverflows(long a, long b, long difference) {
        return ((a ^ b) & (a ^ difference)) < 0;
    }
}
