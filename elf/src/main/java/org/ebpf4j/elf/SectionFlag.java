package org.ebpf4j.elf;

/** Section flags (sh_flags bits) with the letters llvm-readelf prints for them. */
public enum SectionFlag {
    WRITE(0x1, 'W'),
    ALLOC(0x2, 'A'),
    EXECINSTR(0x4, 'X'),
    MERGE(0x10, 'M'),
    STRINGS(0x20, 'S'),
    INFO_LINK(0x40, 'I'),
    LINK_ORDER(0x80, 'L'),
    OS_NONCONFORMING(0x100, 'O'),
    GROUP(0x200, 'G'),
    TLS(0x400, 'T'),
    COMPRESSED(0x800, 'C'),
    EXCLUDE(0x8000_0000L, 'E');

    private final long bit;
    private final char letter;

    SectionFlag(long bit, char letter) {
        this.bit = bit;
        this.letter = letter;
    }

    public long bit() {
        return bit;
    }

    /** llvm-readelf's key letter. */
    public char letter() {
        return letter;
    }

    public boolean isSetIn(long flags) {
        return (flags & bit) != 0;
    }
}
