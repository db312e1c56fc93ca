package org.ebpf4j.isa.text;

/** Number spellings of llvm-objdump: lower-case hex with a {@code 0x} prefix and a leading minus when negative. */
final class Hex {
    private Hex() {}

    static String signed(long value) {
        return value < 0 ? "-0x" + Long.toHexString(-value) : "0x" + Long.toHexString(value);
    }

    /** A displacement always carries its sign: {@code +0x3}, {@code +0x0}, {@code -0x4}. */
    static String displacement(long value) {
        return value < 0 ? signed(value) : "+" + signed(value);
    }

    static String unsigned(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** A memory operand's register and offset: {@code r1 + 0x8}, {@code r10 - 0x4}. */
    static String address(String base, int offset) {
        return base + (offset < 0 ? " - " : " + ") + signed(Math.abs((long) offset));
    }
}
