package org.ebpf4j.verifier.scalar;

/**
 * Ranges and known bits after shifts by a constant amount below the operand width (the kernel's
 * scalar{32,}_min_max_{lsh,rsh,arsh}); any other shift leaves the register unknown before these run.
 */
final class ShiftBounds {
    private ShiftBounds() {}

    private static final long U32_MAX = WorkingScalar.U32_MAX;

    static void lsh32(WorkingScalar dst, WorkingScalar src) {
        Tnum low = dst.bits.subreg();
        lshBounds32(dst, src.u32min, src.u32max);
        dst.bits = low.lshift((int) src.u32min).subreg();
        dst.markUnbounded64();
        BoundsSync.updateFromBits32(dst);
    }

    static void lsh64(WorkingScalar dst, WorkingScalar src) {
        // The 64-bit bounds read the unshifted 32-bit ones, so they go first.
        lshBounds64(dst, src.umin, src.umax);
        lshBounds32(dst, src.umin, src.umax);
        dst.bits = dst.bits.lshift((int) src.umin);
        BoundsSync.updateFromBits(dst);
    }

    private static void lshBounds32(WorkingScalar dst, long minShift, long maxShift) {
        dst.s32min = Integer.MIN_VALUE;
        dst.s32max = Integer.MAX_VALUE;
        if (Unsigned.less(31, maxShift) || dst.u32max > 1L << (31 - maxShift)) {
            // A set bit may be shifted out of the low half.
            dst.u32min = 0;
            dst.u32max = U32_MAX;
        } else {
            dst.u32min = (dst.u32min << minShift) & U32_MAX;
            dst.u32max = (dst.u32max << maxShift) & U32_MAX;
        }
    }

    private static void lshBounds64(WorkingScalar dst, long minShift, long maxShift) {
        if (minShift == 32 && maxShift == 32) {
            // `<<= 32; s>>= 32` is how compilers sign-extend a subregister: keep the s32 range, shifted up.
            dst.smax = (long) dst.s32max << 32;
            dst.smin = (long) dst.s32min << 32;
        } else {
            dst.smin = Long.MIN_VALUE;
            dst.smax = Long.MAX_VALUE;
        }
        if (Unsigned.less(1L << (63 - maxShift), dst.umax)) {
            dst.umin = 0;
            dst.umax = -1;
        } else {
            dst.umin <<= minShift;
            dst.umax <<= maxShift;
        }
    }

    static void rsh32(WorkingScalar dst, WorkingScalar src) {
        Tnum low = dst.bits.subreg();
        // The sign bit of the result depends on the shift amount and the operand: rebuild the signed range
        // from the unsigned one and the known bits.
        dst.s32min = Integer.MIN_VALUE;
        dst.s32max = Integer.MAX_VALUE;
        dst.bits = low.rshift((int) src.u32min);
        dst.u32min >>>= src.u32max;
        dst.u32max >>>= src.u32min;
        dst.markUnbounded64();
        BoundsSync.updateFromBits32(dst);
    }

    static void rsh64(WorkingScalar dst, WorkingScalar src) {
        dst.smin = Long.MIN_VALUE;
        dst.smax = Long.MAX_VALUE;
        dst.bits = dst.bits.rshift((int) src.umin);
        dst.umin >>>= src.umax;
        dst.umax >>>= src.umin;
        // Bits of the high half move into the low half: recompute the 32-bit ranges from the known bits.
        dst.markUnbounded32();
        BoundsSync.updateFromBits(dst);
    }

    static void arsh32(WorkingScalar dst, WorkingScalar src) {
        int shift = (int) src.u32min;
        dst.s32min >>= shift;
        dst.s32max >>= shift;
        dst.bits = dst.bits.subreg().arshift(shift, 32);
        dst.u32min = 0;
        dst.u32max = U32_MAX;
        dst.markUnbounded64();
        BoundsSync.updateFromBits32(dst);
    }

    static void arsh64(WorkingScalar dst, WorkingScalar src) {
        int shift = (int) src.umin;
        dst.smin >>= shift;
        dst.smax >>= shift;
        dst.bits = dst.bits.arshift(shift, 64);
        dst.umin = 0;
        dst.umax = -1;
        dst.markUnbounded32();
        BoundsSync.updateFromBits(dst);
    }
}
