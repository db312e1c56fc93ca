package org.ebpf4j.pcap;

import java.math.BigInteger;

/**
 * A pcapng interface's timestamp unit ({@code if_tsresol}): 10^-n seconds, or 2^-n when the option's high bit is
 * set. Microseconds without the option.
 */
record TimestampResolution(boolean binary, int exponent) {
    static final TimestampResolution MICROSECONDS = new TimestampResolution(false, 6);
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    static TimestampResolution of(byte option) {
        return new TimestampResolution((option & 0x80) != 0, option & 0x7f);
    }

    /** Nanoseconds in {@code ticks} units, rounded down; the tick count is unsigned. */
    long toNanos(long ticks) {
        BigInteger t = new BigInteger(Long.toUnsignedString(ticks));
        BigInteger units = binary ? BigInteger.TWO.pow(exponent) : BigInteger.TEN.pow(exponent);
        return t.multiply(NANOS_PER_SECOND).divide(units).longValue();
    }
}
