package org.ebpf4j.elf;

/** Symbol binding (high nibble of st_info), the ELF numbers. Others (OS or processor specific) are rejected. */
public enum SymbolBinding {
    LOCAL(0),
    GLOBAL(1),
    WEAK(2);

    /** values() copies its array on every call; lookups use this one. */
    private static final SymbolBinding[] ALL = values();

    private final int code;

    SymbolBinding(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The binding with this number, or null when it is not one of the three. */
    static SymbolBinding ofCode(int code) {
        for (SymbolBinding b : ALL) {
            if (b.code == code) {
                return b;
            }
        }
        return null;
    }
}
