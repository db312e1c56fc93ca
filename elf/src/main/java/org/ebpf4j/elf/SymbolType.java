package org.ebpf4j.elf;

/** Symbol type (low nibble of st_info), the ELF numbers; names as llvm-readelf prints them. */
public enum SymbolType {
    /** Also what clang gives undefined externs (.kconfig variables, kfuncs). */
    NOTYPE(0),
    OBJECT(1),
    FUNC(2),
    SECTION(3),
    FILE(4),
    COMMON(5),
    TLS(6);

    /** values() copies its array on every call; lookups use this one. */
    private static final SymbolType[] ALL = values();

    private final int code;

    SymbolType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this number, or null when this reader does not know it. */
    static SymbolType ofCode(int code) {
        for (SymbolType t : ALL) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
