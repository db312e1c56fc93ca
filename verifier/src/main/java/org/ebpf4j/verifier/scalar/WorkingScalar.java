package org.ebpf4j.verifier.scalar;

/**
 * A mutable copy of a {@link Scalar} that the transfer functions edit in place. The kernel's bounds logic is a
 * sequence of in-place updates whose order matters (the 64-bit shift reads the 32-bit bounds before the 32-bit
 * shift overwrites them); writing it the same way keeps it checkable line by line against the kernel.
 */
final class WorkingScalar {
    static final long U32_MAX = Scalar.U32_MAX;

    Tnum bits;
    long smin;
    long smax;
    long umin;
    long umax;
    int s32min;
    int s32max;
    long u32min;
    long u32max;

    WorkingScalar(Scalar s) {
        bits = s.bits();
        smin = s.smin();
        smax = s.smax();
        umin = s.umin();
        umax = s.umax();
        s32min = s.s32min();
        s32max = s.s32max();
        u32min = s.u32min();
        u32max = s.u32max();
    }

    Scalar toScalar() {
        return new Scalar(bits, smin, smax, umin, umax, s32min, s32max, u32min, u32max);
    }

    /** __mark_reg_known: exactly {@code v}, all nine facts. */
    void markKnown(long v) {
        bits = Tnum.constant(v);
        smin = smax = umin = umax = v;
        s32min = s32max = (int) v;
        u32min = u32max = v & U32_MAX;
    }

    /** __mark_reg32_known: the low half is exactly {@code v}; the high half and 64-bit bounds stay. */
    void markKnown32(long v) {
        bits = bits.withConstSubreg((int) v);
        s32min = s32max = (int) v;
        u32min = u32max = v & U32_MAX;
    }

    void markUnknown() {
        bits = Tnum.UNKNOWN;
        markUnbounded();
    }

    /** __mark_reg_unbounded: forgets all bounds, keeps the known bits. */
    void markUnbounded() {
        markUnbounded64();
        markUnbounded32();
    }

    void markUnbounded64() {
        smin = Long.MIN_VALUE;
        smax = Long.MAX_VALUE;
        umin = 0;
        umax = -1;
    }

    void markUnbounded32() {
        s32min = Integer.MIN_VALUE;
        s32max = Integer.MAX_VALUE;
        u32min = 0;
        u32max = U32_MAX;
    }

    /** True when the low half, as the kernel tests it for a 32-bit operand, is one known value. */
    boolean isConst32() {
        return bits.isSubregConst() && s32min == s32max && u32min == u32max;
    }

    /** True when the whole value is one known value, as is_safe_to_compute_dst_reg_range tests it. */
    boolean isConst64() {
        return bits.isConst() && smin == smax && umin == umax;
    }

    /**
     * zext_32_to_64: after a 32-bit operation the high half is zero, so the 64-bit facts are the 32-bit ones
     * (signed ones only when the 32-bit range is non-negative).
     */
    void zeroExtend32() {
        bits = bits.subreg();
        umin = u32min;
        umax = u32max;
        if (s32min >= 0 && s32max >= 0) {
            smin = s32min;
            smax = s32max;
        } else {
            smin = 0;
            smax = U32_MAX;
        }
    }
}
