package org.ebpf4j.isa;

/**
 * The eleven eBPF registers. R0 holds return values, R1-R5 arguments (clobbered by calls), R6-R9 are
 * callee-saved, and R10 is the read-only frame pointer.
 */
public enum Register {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    public static final Register FP = R10;
    public static final int COUNT = 11;

    private static final Register[] ALL = values();

    public int number() {
        return ordinal();
    }

    public static Register of(int number) {
        if (number < 0 || number >= COUNT) {
            throw new IllegalArgumentException("no register r" + number);
        }
        return ALL[number];
    }
}
