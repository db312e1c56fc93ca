package org.ebpf4j.verifier.scalar;

/** Unsigned 64-bit minimum and maximum, which {@link Math} lacks. */
final class Unsigned {
    private Unsigned() {}

    static long min(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    static long max(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static boolean less(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    static boolean lessOrEqual(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }
}
