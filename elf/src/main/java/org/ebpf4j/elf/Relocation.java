package org.ebpf4j.elf;

/**
 * One SHT_REL entry. The symbol index is checked when reading; the type is checked when it is asked for, so that
 * an object whose debug sections carry a relocation type this reader does not know still loads.
 *
 * @param file the object's name, for messages
 * @param section the SHT_REL section holding this entry
 * @param index position in that section
 * @param offset r_offset: byte offset in the target section ({@link RelocationSection#target()})
 * @param typeCode ELF64_R_TYPE(r_info) as written
 */
public record Relocation(String file, Section section, int index, long offset, Symbol symbol, long typeCode) {

    /** The relocation type; an {@link ElfFormatException} naming section and offset when it is not a BPF one. */
    public RelocationType type() {
        RelocationType type = RelocationType.ofCode(typeCode);
        if (type == null) {
            throw new ElfFormatException(file, section.describe(), "relocation " + index + " at offset 0x"
                    + Long.toHexString(offset) + " has unknown type " + typeCode);
        }
        return type;
    }
}
