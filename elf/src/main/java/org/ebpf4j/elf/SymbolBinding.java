package org.ebpf4j.elf;

/** Symbol binding (high nibble of st_info), the ELF numbers. Others (OS or processor specific) are rejected. */
public enum SymbolBinding {
    LOCAL(0),
    GLOBAL(1),
    WEAK(2);

    private final int code;

    SymbolBinding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The binding with this number, or null when it is not one of the three. */
    static SymbolBinding ofCode(int code) {
        for (SymbolBinding b : values()) {
            if (b.code == code) {
                return b;
            }
        }
        return null;
    }
}
