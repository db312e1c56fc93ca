package org.ebpf4j.btf;

/**
 * Linkage of a FUNC ({@code BTF_FUNC_*}) or VAR ({@code BTF_VAR_*}); both families use the same three numbers.
 * The lower-case label is what bpftool prints.
 */
public enum Linkage {
    STATIC(0, "static"), GLOBAL(1, "global"), EXTERN(2, "extern");

    private final int number;
    private final String label;

    Linkage(int number, String label) {
        this.number = number;
        this.label = label;
    }

    public int number() {
        return number;
    }

    public String label() {
        return label;
    }

    /** The linkage with this number, or null when there is none. */
    public static Linkage of(long number) {
        for (Linkage linkage : values()) {
            if (linkage.number == number) {
                return linkage;
            }
        }
        return null;
    }
}
