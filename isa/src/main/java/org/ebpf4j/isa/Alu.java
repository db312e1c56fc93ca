package org.ebpf4j.isa;

/**
 * The non-trivial arithmetic of eBPF, written once: the interpreter calls these methods, the JIT emits calls
 * to them (HotSpot inlines them), and the verifier's tests check its abstract domain against them.
 *
 * <p>Semantics are RFC 9669's: 32-bit results are zero-extended to 64 bits; unsigned division by zero gives 0;
 * modulo by zero leaves the dividend (truncated to 32 bits in the 32-bit forms); signed division of the minimum
 * value by -1 gives the minimum value, and the signed remainder is 0; shift amounts are masked to the width.
 */
public final class Alu {
    private Alu() {}

    private static final long LOW32 = 0xffff_ffffL;

    /** Zero-extends the low 32 bits of a value, as every 32-bit ALU operation does to its result. */
    public static long zext32(long value) {
        return value & LOW32;
    }

    public static long div64(long dividend, long divisor) {
        return divisor == 0 ? 0 : Long.divideUnsigned(dividend, divisor);
    }

    public static long div32(long dividend, long divisor) {
        int d = (int) divisor;
        return d == 0 ? 0 : zext32(Integer.divideUnsigned((int) dividend, d));
    }

    public static long mod64(long dividend, long divisor) {
        return divisor == 0 ? dividend : Long.remainderUnsigned(dividend, divisor);
    }

    public static long mod32(long dividend, long divisor) {
        int d = (int) divisor;
        return d == 0 ? zext32(dividend) : zext32(Integer.remainderUnsigned((int) dividend, d));
    }

    /** Signed division; Java's {@code /} already gives MIN_VALUE for MIN_VALUE / -1. */
    public static long sdiv64(long dividend, long divisor) {
        return divisor == 0 ? 0 : dividend / divisor;
    }

    public static long sdiv32(long dividend, long divisor) {
        int d = (int) divisor;
        return d == 0 ? 0 : zext32((int) dividend / d);
    }

    /** Signed remainder, with the sign of the dividend; Java's {@code %} gives 0 for MIN_VALUE % -1. */
    public static long smod64(long dividend, long divisor) {
        return divisor == 0 ? dividend : dividend % divisor;
    }

    public static long smod32(long dividend, long divisor) {
        int d = (int) divisor;
        return d == 0 ? zext32(dividend) : zext32((int) dividend % d);
    }

    // Java masks shift counts exactly as RFC 9669 asks (to 6 bits for long, 5 bits for int).

    public static long lsh64(long value, long amount) {
        return value << amount;
    }

    public static long lsh32(long value, long amount) {
        return zext32((int) value << (int) amount);
    }

    public static long rsh64(long value, long amount) {
        return value >>> amount;
    }

    public static long rsh32(long value, long amount) {
        return zext32((int) value >>> (int) amount);
    }

    public static long arsh64(long value, long amount) {
        return value >> amount;
    }

    public static long arsh32(long value, long amount) {
        return zext32((int) value >> (int) amount);
    }

    /** MOVSX and LDSX: sign-extends the low {@code bits} (8, 16 or 32) of a value to 64 bits. */
    public static long signExtend(long value, int bits) {
        return switch (bits) {
            case 8 -> (byte) value;
            case 16 -> (short) value;
            case 32 -> (int) value;
            default -> throw new IllegalArgumentException("sign extension from " + bits + " bits");
        };
    }

    /** Converts between host order and little endian: on the little-endian eBPF machine, a truncation. */
    public static long toLittleEndian(long value, int bits) {
        return switch (bits) {
            case 16 -> value & 0xffff;
            case 32 -> value & LOW32;
            case 64 -> value;
            default -> throw new IllegalArgumentException("byte swap width " + bits);
        };
    }

    /** Converts to big endian (BE) or swaps unconditionally (BSWAP): reverses the low {@code bits} bits' bytes. */
    public static long byteSwap(long value, int bits) {
        return switch (bits) {
            case 16 -> Short.reverseBytes((short) value) & 0xffff;
            case 32 -> Integer.reverseBytes((int) value) & LOW32;
            case 64 -> Long.reverseBytes(value);
            default -> throw new IllegalArgumentException("byte swap width " + bits);
        };
    }
}
