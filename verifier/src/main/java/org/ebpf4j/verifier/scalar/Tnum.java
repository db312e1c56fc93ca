package org.ebpf4j.verifier.scalar;

/**
 * A tristate number (the kernel's {@code struct tnum}): what is known about each bit of a 64-bit value. A bit
 * set in {@code mask} is unknown; every other bit is known and equals the bit of {@code value}. Well-formed
 * tnums never have a bit set in both fields ({@code value & mask == 0}).
 *
 * <p>The operations follow {@code kernel/bpf/tnum.c} of Linux 6.18 exactly (the multiplication is the
 * union-based long multiplication of 6.18), because the verifier's verdicts depend on what each one loses. The
 * "32-bit forms" are the kernel's subregister helpers: a 32-bit ALU result is the low half, zero-extended.
 */
public record Tnum(long value, long mask) {

    private static final long LOW32 = 0xffff_ffffL;

    /** Nothing known: every bit may be 0 or 1. */
    public static final Tnum UNKNOWN = new Tnum(0, -1);

    public static Tnum constant(long value) {
        return new Tnum(value, 0);
    }

    /**
     * The tightest tnum holding every value in the unsigned range [min, max]: the common high bits are known,
     * everything below the highest differing bit is unknown.
     */
    public static Tnum range(long min, long max) {
        long chi = min ^ max;
        int bits = 64 - Long.numberOfLeadingZeros(chi);
        if (bits > 63) {
            return UNKNOWN;
        }
        long delta = (1L << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    public boolean isConst() {
        return mask == 0;
    }

    /** True when the low 32 bits are all known (the kernel's tnum_subreg_is_const). */
    public boolean isSubregConst() {
        return (mask & LOW32) == 0;
    }

    public boolean isUnknown() {
        return mask == -1;
    }

    /** True when {@code v} is one of the values this tnum describes. */
    public boolean contains(long v) {
        return (v & ~mask) == value;
    }

    /** True when every value of {@code other} is a value of this tnum (the kernel's tnum_in(this, other)). */
    public boolean includes(Tnum other) {
        if ((other.mask & ~mask) != 0) {
            return false;
        }
        return (other.value & ~mask) == value;
    }

    /** True when some value may belong to both: their known bits agree wherever both are known. */
    public boolean overlaps(Tnum other) {
        long known = ~mask & ~other.mask;
        return (value & known) == (other.value & known);
    }

    public Tnum lshift(int shift) {
        return new Tnum(value << shift, mask << shift);
    }

    public Tnum rshift(int shift) {
        return new Tnum(value >>> shift, mask >>> shift);
    }

    /**
     * Arithmetic right shift of a 64-bit value, or of the low half as a signed 32-bit value (zero-extended
     * result) when {@code bits} is 32. An unknown sign bit stays unknown in every bit it is copied into.
     */
    public Tnum arshift(int shift, int bits) {
        if (bits == 32) {
            return new Tnum(((int) value >> shift) & LOW32, ((int) mask >> shift) & LOW32);
        }
        return new Tnum(value >> shift, mask >> shift);
    }

    public Tnum add(Tnum b) {
        long sm = mask + b.mask;
        long sv = value + b.value;
        long sigma = sm + sv;
        long chi = sigma ^ sv;
        long mu = chi | mask | b.mask;
        return new Tnum(sv & ~mu, mu);
    }

    public Tnum sub(Tnum b) {
        long dv = value - b.value;
        long alpha = dv + mask;
        long beta = dv - b.mask;
        long chi = alpha ^ beta;
        long mu = chi | mask | b.mask;
        return new Tnum(dv & ~mu, mu);
    }

    public Tnum neg() {
        return constant(0).sub(this);
    }

    public Tnum and(Tnum b) {
        long alpha = value | mask;
        long beta = b.value | b.mask;
        long v = value & b.value;
        return new Tnum(v, alpha & beta & ~v);
    }

    public Tnum or(Tnum b) {
        long v = value | b.value;
        long mu = mask | b.mask;
        return new Tnum(v, mu & ~v);
    }

    public Tnum xor(Tnum b) {
        long v = value ^ b.value;
        long mu = mask | b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /**
     * Long multiplication over the bits of {@code this}: a known 1 adds the shifted multiplicand, an unknown bit
     * joins the accumulators with and without it.
     */
    public Tnum mul(Tnum b) {
        Tnum a = this;
        Tnum acc = constant(0);
        while (a.value != 0 || a.mask != 0) {
            if ((a.value & 1) != 0) {
                acc = acc.add(b);
            } else if ((a.mask & 1) != 0) {
                acc = acc.union(acc.add(b));
            }
            a = a.rshift(1);
            b = b.lshift(1);
        }
        return acc;
    }

    /**
     * The values described by both. Where the two disagree on a known bit (no common value) the result has a
     * known 1 there, as in the kernel; callers only intersect descriptions of the same value.
     */
    public Tnum intersect(Tnum b) {
        long v = value | b.value;
        long mu = mask & b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /** The smallest tnum holding the values of both (bits where they disagree become unknown). */
    public Tnum union(Tnum b) {
        long v = value & b.value;
        long mu = (value ^ b.value) | mask | b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /** The low {@code size} bytes (1, 2, 4 or 8), zero-extended. */
    public Tnum cast(int size) {
        long keep = size >= 8 ? -1L : (1L << (size * 8)) - 1;
        return new Tnum(value & keep, mask & keep);
    }

    /** True when no value has a 1 in the low bits below {@code size} (a power of two; 0 means any). */
    public boolean isAligned(long size) {
        return size == 0 || ((value | mask) & (size - 1)) == 0;
    }

    /** The low 32 bits, zero-extended: what a 32-bit operation reads. */
    public Tnum subreg() {
        return cast(4);
    }

    /** The high 32 bits, with the low half known zero. */
    public Tnum clearSubreg() {
        return rshift(32).lshift(32);
    }

    /** This tnum's high half with the low half of {@code subreg}. */
    public Tnum withSubreg(Tnum subreg) {
        return clearSubreg().or(subreg.subreg());
    }

    /** This tnum's high half with a known low half. */
    public Tnum withConstSubreg(int low) {
        return withSubreg(constant(low & LOW32));
    }

    @Override
    public String toString() {
        return String.format("(%#x; %#x)", value, mask);
    }
}
