package org.ebpf4j.spec.context;

/**
 * The values a program type may return, as the kernel's check_return_code enforces at the main program's exit
 * (signed 64-bit bounds of R0, inclusive).
 */
public record ReturnRange(long min, long max) {
    /** check_return_code's default for the types it checks: 0 refuses (or drops), 1 allows. */
    public static final ReturnRange ALLOW_OR_REFUSE = new ReturnRange(0, 1);

    public ReturnRange {
        if (min > max) {
            throw new IllegalArgumentException("empty return range [" + min + ", " + max + "]");
        }
    }

    public boolean contains(long smin, long smax) {
        return smin >= min && smax <= max;
    }

    @Override
    public String toString() {
        return "[" + min + ", " + max + "]";
    }
}
