package org.ebpf4j.elf;

/**
 * One section header, with its name resolved. Offsets and sizes are validated against the file (except for
 * {@link SectionType#NOBITS}, which has no bytes); the contents are read through {@link ElfFile#contents}.
 *
 * @param index position in the section header table
 * @param typeCode sh_type as written; {@link #type()} names it
 * @param flags sh_flags bits, see {@link SectionFlag}
 * @param link sh_link: for symbol and relocation sections, the index of the linked string or symbol table
 * @param info sh_info: for relocation sections, the index of the section they apply to
 */
public record Section(
        int index,
        String name,
        int typeCode,
        long flags,
        long address,
        long offset,
        long size,
        int link,
        int info,
        long addressAlignment,
        long entrySize) {

    public SectionType type() {
        return SectionType.of(typeCode);
    }

    public boolean has(SectionFlag flag) {
        return flag.isSetIn(flags);
    }

    /** Holds instructions (SHF_EXECINSTR): programs and subprograms. */
    public boolean isExecutable() {
        return has(SectionFlag.EXECINSTR);
    }

    /** How error messages name this section: {@code section '.rel.text' (index 5)}. */
    public String describe() {
        return "section '" + name + "' (index " + index + ")";
    }
}
