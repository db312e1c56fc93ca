package org.ebpf4j.btf;

/**
 * The encoding bits of a BTF INT ({@code BTF_INT_SIGNED}, {@code BTF_INT_CHAR}, {@code BTF_INT_BOOL}). Linux
 * allows at most one of them, so one value describes an integer. The label is what bpftool prints.
 */
public enum IntEncoding {
    NONE(0, "(none)"), SIGNED(1, "SIGNED"), CHAR(2, "CHAR"), BOOL(4, "BOOL");

    private final int bits;
    private final String label;

    IntEncoding(int bits, String label) {
        this.bits = bits;
        this.label = label;
    }

    public int bits() {
        return bits;
    }

    public String label() {
        return label;
    }

    /** The encoding with exactly these bits, or null for a combination Linux rejects. */
    public static IntEncoding of(int bits) {
        for (IntEncoding encoding : values()) {
            if (encoding.bits == bits) {
                return encoding;
            }
        }
        return null;
    }
}
