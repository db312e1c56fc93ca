package org.ebpf4j.elf;

/** Symbol visibility (low two bits of st_other); all four values exist, so every symbol has one. */
public enum SymbolVisibility {
    DEFAULT,
    INTERNAL,
    HIDDEN,
    PROTECTED;

    private static final SymbolVisibility[] ALL = values();

    static SymbolVisibility ofCode(int code) {
        return ALL[code & 3];
    }
}
