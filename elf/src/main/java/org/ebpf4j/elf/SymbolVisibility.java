package org.ebpf4j.elf;

/** Symbol visibility (low two bits of st_other); all four values exist, so every symbol has one. */
public enum SymbolVisibility {
    DEFAULT,
    INTERNAL,
    HIDDEN,
    PROTECTED;

    static SymbolVisibility ofCode(int code) {
        return values()[code & 3];
    }
}
