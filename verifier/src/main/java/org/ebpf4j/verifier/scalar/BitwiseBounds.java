package org.ebpf4j.verifier.scalar;

/**
 * Ranges after and, or and xor (the kernel's scalar{32,}_min_max_{and,or,xor}). The caller has already
 * combined the known bits into {@code dst.bits}; these bitwise operations take one end of the unsigned range
 * from those bits, and the signed range from the unsigned one when it stays on one side of the sign bit.
 */
final class BitwiseBounds {
    private BitwiseBounds() {}

    static void and32(WorkingScalar dst, WorkingScalar src) {
        Tnum low = dst.bits.subreg();
        if (src.bits.isSubregConst() && low.isConst()) {
            dst.markKnown32(low.value());
            return;
        }
        // A bitwise and is never above either operand.
        dst.u32min = low.value();
        dst.u32max = Math.min(dst.u32max, src.u32max);
        signed32FromUnsigned(dst);
    }

    static void and64(WorkingScalar dst, WorkingScalar src) {
        if (src.bits.isConst() && dst.bits.isConst()) {
            dst.markKnown(dst.bits.value());
            return;
        }
        dst.umin = dst.bits.value();
        dst.umax = Unsigned.min(dst.umax, src.umax);
        signed64FromUnsigned(dst);
        BoundsSync.updateFromBits(dst);
    }

    static void or32(WorkingScalar dst, WorkingScalar src) {
        Tnum low = dst.bits.subreg();
        if (src.bits.isSubregConst() && low.isConst()) {
            dst.markKnown32(low.value());
            return;
        }
        // A bitwise or is never below either operand.
        dst.u32min = Math.max(dst.u32min, src.u32min);
        dst.u32max = low.value() | low.mask();
        signed32FromUnsigned(dst);
    }

    static void or64(WorkingScalar dst, WorkingScalar src) {
        if (src.bits.isConst() && dst.bits.isConst()) {
            dst.markKnown(dst.bits.value());
            return;
        }
        dst.umin = Unsigned.max(dst.umin, src.umin);
        dst.umax = dst.bits.value() | dst.bits.mask();
        signed64FromUnsigned(dst);
        BoundsSync.updateFromBits(dst);
    }

    static void xor32(WorkingScalar dst, WorkingScalar src) {
        Tnum low = dst.bits.subreg();
        if (src.bits.isSubregConst() && low.isConst()) {
            dst.markKnown32(low.value());
            return;
        }
        dst.u32min = low.value();
        dst.u32max = low.value() | low.mask();
        signed32FromUnsigned(dst);
    }

    static void xor64(WorkingScalar dst, WorkingScalar src) {
        if (src.bits.isConst() && dst.bits.isConst()) {
            dst.markKnown(dst.bits.value());
            return;
        }
        dst.umin = dst.bits.value();
        dst.umax = dst.bits.value() | dst.bits.mask();
        signed64FromUnsigned(dst);
        BoundsSync.updateFromBits(dst);
    }

    private static void signed32FromUnsigned(WorkingScalar dst) {
        if ((int) dst.u32min <= (int) dst.u32max) {
            dst.s32min = (int) dst.u32min;
            dst.s32max = (int) dst.u32max;
        } else {
            dst.s32min = Integer.MIN_VALUE;
            dst.s32max = Integer.MAX_VALUE;
        }
    }

    private static void signed64FromUnsigned(WorkingScalar dst) {
        if (dst.umin <= dst.umax) {
            dst.smin = dst.umin;
            dst.smax = dst.umax;
        } else {
            dst.smin = Long.MIN_VALUE;
            dst.smax = Long.MAX_VALUE;
        }
    }
}
