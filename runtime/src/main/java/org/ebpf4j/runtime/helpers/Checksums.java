package org.ebpf4j.runtime.helpers;

/**
 * The kernel's Internet checksum arithmetic as x86-64 computes it ({@code include/net/checksum.h},
 * {@code arch/x86/include/asm/checksum_64.h}): 32-bit ones' complement sums ({@code __wsum}) of little-endian words,
 * folded to 16 bits ({@code __sum16}). Packet bytes are read as the host reads them, little endian, so sums of
 * network-order fields come out as the kernel's do on x86-64. All values are unsigned, held in ints.
 */
public final class Checksums {
    private Checksums() {}

    /** csum_add: 32-bit addition with the carry added back. */
    public static int add(int sum, int addend) {
        int result = sum + addend;
        return result + (Integer.compareUnsigned(result, addend) < 0 ? 1 : 0);
    }

    /** csum_sub. */
    public static int sub(int sum, int addend) {
        return add(sum, ~addend);
    }

    /** csum_fold: the 16-bit checksum (complemented) of a 32-bit sum. */
    public static int fold(int sum) {
        long s = Integer.toUnsignedLong(sum);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) ~s & 0xffff;
    }

    /** csum_from32to16: a 32-bit sum folded to 16 bits, not complemented (what bpf_csum_diff returns). */
    public static int from32to16(int sum) {
        int x = sum + Integer.rotateLeft(sum, 16);
        return x >>> 16;
    }

    /** csum_partial: {@code seed} plus the bytes at {@code offset}, as 32-bit little-endian words with end-around carry. */
    public static int partial(byte[] bytes, int offset, int length, int seed) {
        long acc = Integer.toUnsignedLong(seed);
        int i = offset;
        int end = offset + length;
        for (; i + 4 <= end; i += 4) {
            acc += (bytes[i] & 0xffL) | (bytes[i + 1] & 0xffL) << 8 | (bytes[i + 2] & 0xffL) << 16
                    | (bytes[i + 3] & 0xffL) << 24;
        }
        if (i + 2 <= end) {
            acc += (bytes[i] & 0xffL) | (bytes[i + 1] & 0xffL) << 8;
            i += 2;
        }
        if (i < end) {
            acc += bytes[i] & 0xffL;
        }
        while ((acc >>> 32) != 0) {
            acc = (acc & 0xffff_ffffL) + (acc >>> 32);
        }
        return (int) acc;
    }

    /** csum_replace_by_diff: applies a 32-bit difference to a 16-bit checksum. */
    public static int replaceByDiff(int checksum, int diff) {
        return fold(add(diff, ~checksum));
    }

    /** csum_replace4: the checksum after a 32-bit field changed from {@code from} to {@code to}. */
    public static int replace4(int checksum, int from, int to) {
        int tmp = sub(~checksum, from);
        return fold(add(tmp, to));
    }

    /** csum_replace2: the checksum after a 16-bit field changed from {@code from} to {@code to}. */
    public static int replace2(int checksum, int from, int to) {
        return ~add16(add16(~checksum & 0xffff, ~from & 0xffff), to & 0xffff) & 0xffff;
    }

    /** csum16_add. */
    private static int add16(int sum, int addend) {
        int result = (sum + addend) & 0xffff;
        return (result + (result < addend ? 1 : 0)) & 0xffff;
    }
}
