package org.ebpf4j.elf;

/**
 * Section types (sh_type) a BPF object may hold, with the ELF numbers; names as llvm-readelf prints them. Types this
 * reader does not know are {@link #OTHER}; {@link Section#typeCode()} keeps the number.
 */
public enum SectionType {
    NULL(0),
    PROGBITS(1),
    SYMTAB(2),
    STRTAB(3),
    /** Relocations with explicit addends: rejected, BPF objects use {@link #REL}. */
    RELA(4),
    HASH(5),
    DYNAMIC(6),
    NOTE(7),
    /** Occupies no file space (.bss): its contents are zeros. */
    NOBITS(8),
    REL(9),
    DYNSYM(11),
    INIT_ARRAY(14),
    FINI_ARRAY(15),
    PREINIT_ARRAY(16),
    GROUP(17),
    SYMTAB_SHNDX(18),
    /** Address-significance table that clang adds to every object (.llvm_addrsig); irrelevant to loading. */
    LLVM_ADDRSIG(0x6fff4c03),
    OTHER(-1);

    /** values() copies its array on every call; lookups use this one. */
    private static final SectionType[] ALL = values();

    private final int code;

    SectionType(int code) {
        this.code = code;
    }

    /** The sh_type number; -1 for {@link #OTHER}. */
    public int code() {
        return code;
    }

    public static SectionType of(int code) {
        for (SectionType t : ALL) {
            if (t.code == code && t != OTHER) {
                return t;
            }
        }
        return OTHER;
    }
}
