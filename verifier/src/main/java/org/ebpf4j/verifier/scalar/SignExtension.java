package org.ebpf4j.verifier.scalar;

import org.ebpf4j.isa.Alu;

/**
 * Sign extension of the low 8, 16 or 32 bits (MOVSX, and later LDSX), as the kernel's coerce_reg_to_size_sx and
 * coerce_subreg_to_size_sx compute it: a constant stays exact; a signed range whose bits above the extended width
 * are fixed and whose narrow ends share a sign maps onto a range; anything else gets the full range of the
 * narrow type.
 */
final class SignExtension {
    private SignExtension() {}

    private static final long U32_MAX = WorkingScalar.U32_MAX;

    /** The 64-bit register becomes the sign extension of its low {@code size} bytes. */
    static void to64(WorkingScalar r, int size) {
        if (r.bits.isConst()) {
            r.markKnown(extend(r.bits.value(), size));
            return;
        }
        int bits = size * 8;
        long topOfMax = (r.smax >>> bits) << bits;
        long topOfMin = (r.smin >>> bits) << bits;
        if (topOfMax == topOfMin) {
            long fromMax = extend(r.smax, size);
            long fromMin = extend(r.smin, size);
            long max = Math.max(fromMax, fromMin);
            long min = Math.min(fromMax, fromMin);
            if ((max >= 0) == (min >= 0)) {
                r.smin = min;
                r.smax = max;
                r.s32min = (int) min;
                r.s32max = (int) max;
                r.umin = min;
                r.umax = max;
                r.u32min = min & U32_MAX;
                r.u32max = max & U32_MAX;
                r.bits = Tnum.range(min, max);
                return;
            }
        }
        long narrowMin = -(1L << (bits - 1));
        long narrowMax = (1L << (bits - 1)) - 1;
        r.smin = narrowMin;
        r.smax = narrowMax;
        r.s32min = (int) narrowMin;
        r.s32max = (int) narrowMax;
        r.umin = 0;
        r.umax = -1;
        r.u32min = 0;
        r.u32max = U32_MAX;
        r.bits = Tnum.UNKNOWN;
    }

    /**
     * The low half becomes the sign extension of its low {@code size} (1 or 2) bytes; the 64-bit facts are left
     * for the zero extension that follows every 32-bit operation.
     */
    static void to32(WorkingScalar r, int size) {
        if (r.bits.isConst()) {
            long v = extend(r.bits.value(), size);
            r.bits = Tnum.constant(v);
            r.s32min = r.s32max = (int) v;
            r.u32min = r.u32max = v & U32_MAX;
            return;
        }
        int bits = size * 8;
        long topOfMax = ((r.s32max & U32_MAX) >>> bits) << bits;
        long topOfMin = ((r.s32min & U32_MAX) >>> bits) << bits;
        if (topOfMax == topOfMin) {
            int fromMax = (int) extend(r.s32max, size);
            int fromMin = (int) extend(r.s32min, size);
            int max = Math.max(fromMax, fromMin);
            int min = Math.min(fromMax, fromMin);
            if ((min >= 0) == (max >= 0)) {
                r.s32min = min;
                r.s32max = max;
                r.u32min = min & U32_MAX;
                r.u32max = max & U32_MAX;
                r.bits = Tnum.range(min, max).subreg();
                return;
            }
        }
        r.s32min = -(1 << (bits - 1));
        r.s32max = (1 << (bits - 1)) - 1;
        r.u32min = 0;
        r.u32max = U32_MAX;
        r.bits = Tnum.UNKNOWN.subreg();
    }

    /** One definition of sign extension: the instruction set's. */
    private static long extend(long value, int size) {
        return Alu.signExtend(value, size * 8);
    }
}
