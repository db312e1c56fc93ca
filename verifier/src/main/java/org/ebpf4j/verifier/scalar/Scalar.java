package org.ebpf4j.verifier.scalar;

/**
 * What the verifier knows about a scalar register: the known bits ({@link Tnum}) and eight bounds, signed and
 * unsigned, over the whole 64-bit value and over its low 32 bits, exactly the scalar part of the kernel's
 * {@code struct bpf_reg_state} (var_off, smin/smax, umin/umax, s32_min/s32_max, u32_min/u32_max).
 *
 * <p>A concrete value belongs to a scalar when it satisfies all nine facts at once ({@link #contains}). The facts
 * are redundant on purpose: each kind of operation is precise in one of them, and {@link #synced} lets them
 * tighten one another as the kernel's reg_bounds_sync does.
 *
 * <p>Unsigned bounds are held in {@code long}: {@code umin}/{@code umax} compare with
 * {@link Long#compareUnsigned}, while {@code u32min}/{@code u32max} hold values in [0, 2^32) and compare as plain
 * longs.
 */
public record Scalar(Tnum bits, long smin, long smax, long umin, long umax,
                     int s32min, int s32max, long u32min, long u32max) {

    static final long U32_MAX = 0xffff_ffffL;

    public Scalar {
        if (u32min < 0 || u32min > U32_MAX || u32max < 0 || u32max > U32_MAX) {
            throw new IllegalArgumentException("u32 bounds out of range: " + u32min + ", " + u32max);
        }
    }

    /** Nothing known (the kernel's __mark_reg_unknown). */
    public static Scalar unknown() {
        return new Scalar(Tnum.UNKNOWN, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1,
                Integer.MIN_VALUE, Integer.MAX_VALUE, 0, U32_MAX);
    }

    /** Exactly {@code v} (the kernel's __mark_reg_known). */
    public static Scalar constant(long v) {
        return new Scalar(Tnum.constant(v), v, v, v, v, (int) v, (int) v, v & U32_MAX, v & U32_MAX);
    }

    /** Any value of the tnum, with the bounds it implies. */
    public static Scalar of(Tnum bits) {
        return new Scalar(bits, Long.MIN_VALUE, Long.MAX_VALUE, 0, -1,
                Integer.MIN_VALUE, Integer.MAX_VALUE, 0, U32_MAX).synced();
    }

    /** Any value in the unsigned range [min, max]. */
    public static Scalar unsignedRange(long min, long max) {
        return new Scalar(Tnum.UNKNOWN, Long.MIN_VALUE, Long.MAX_VALUE, min, max,
                Integer.MIN_VALUE, Integer.MAX_VALUE, 0, U32_MAX).synced();
    }

    /** Any value in the signed range [min, max]. */
    public static Scalar signedRange(long min, long max) {
        return new Scalar(Tnum.UNKNOWN, min, max, 0, -1,
                Integer.MIN_VALUE, Integer.MAX_VALUE, 0, U32_MAX).synced();
    }

    public boolean isConst() {
        return bits.isConst();
    }

    /** True when the low 32 bits are known (the kernel's tnum_subreg_is_const). */
    public boolean isSubregConst() {
        return bits.isSubregConst();
    }

    /** The value of a constant scalar, or of its low half in a 32-bit comparison (reg_const_value). */
    public long constValue(boolean low32) {
        return low32 ? bits.subreg().value() : bits.value();
    }

    /** True when {@code v} satisfies every fact this scalar holds. */
    public boolean contains(long v) {
        int low = (int) v;
        long ulow = v & U32_MAX;
        return bits.contains(v)
                && smin <= v && v <= smax
                && Long.compareUnsigned(umin, v) <= 0 && Long.compareUnsigned(v, umax) <= 0
                && s32min <= low && low <= s32max
                && u32min <= ulow && ulow <= u32max;
    }

    /**
     * True when no bound is empty. An infeasible path (a branch that cannot be taken) may leave empty bounds;
     * the kernel then reports a bounds violation and forgets the bounds.
     */
    public boolean isConsistent() {
        return smin <= smax && Long.compareUnsigned(umin, umax) <= 0 && s32min <= s32max && u32min <= u32max
                && (bits.value() & bits.mask()) == 0;
    }

    /**
     * True when every value of this scalar is a value of {@code old}: the test state pruning makes for scalars
     * (the kernel's range_within(old, cur) and tnum_in(old->var_off, cur->var_off)).
     */
    public boolean isWithin(Scalar old) {
        return Long.compareUnsigned(old.umin, umin) <= 0 && Long.compareUnsigned(old.umax, umax) >= 0
                && old.smin <= smin && old.smax >= smax
                && old.u32min <= u32min && old.u32max >= u32max
                && old.s32min <= s32min && old.s32max >= s32max
                && old.bits.includes(bits);
    }

    /**
     * A scalar holding every value of both, for merging states where paths meet. The kernel never merges
     * scalar states (it keeps paths apart and prunes instead); this is ebpf4j's own: the hull of each bound, the
     * union of the known bits, then the usual synchronisation.
     */
    public Scalar join(Scalar other) {
        return new Scalar(bits.union(other.bits),
                Math.min(smin, other.smin), Math.max(smax, other.smax),
                Unsigned.min(umin, other.umin), Unsigned.max(umax, other.umax),
                Math.min(s32min, other.s32min), Math.max(s32max, other.s32max),
                Math.min(u32min, other.u32min), Math.max(u32max, other.u32max)).synced();
    }

    /** The facts tightened against one another (the kernel's reg_bounds_sync). */
    public Scalar synced() {
        WorkingScalar w = new WorkingScalar(this);
        BoundsSync.sync(w);
        return w.toScalar();
    }

    @Override
    public String toString() {
        if (isConst()) {
            return String.format("%#x", bits.value());
        }
        return String.format("scalar(smin=%#x,smax=%#x,umin=%#x,umax=%#x,smin32=%#x,smax32=%#x,umin32=%#x,"
                + "umax32=%#x,var_off=%s)", smin, smax, umin, umax, s32min, s32max, u32min, u32max, bits);
    }
}
