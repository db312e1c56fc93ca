package org.ebpf4j.elf;

import java.util.OptionalInt;

/**
 * One .symtab entry with its name resolved. Section symbols (type {@link SymbolType#SECTION}) have an empty name,
 * as written in the file; {@link ElfFile#symbolName} gives them their section's name as llvm-readelf does.
 *
 * @param index position in .symtab; relocations refer to symbols by it
 * @param value for symbols defined in a section: the byte offset in that section (ET_REL objects)
 */
public record Symbol(
        int index,
        String name,
        long value,
        long size,
        SymbolType type,
        SymbolBinding binding,
        SymbolVisibility visibility,
        SymbolSection section) {

    public boolean isUndefined() {
        return section instanceof SymbolSection.Undefined;
    }

    /** The index of the defining section, empty for undefined, absolute and common symbols. */
    public OptionalInt sectionIndex() {
        return section instanceof SymbolSection.Index(int i) ? OptionalInt.of(i) : OptionalInt.empty();
    }

    public boolean isDefinedIn(Section s) {
        return section instanceof SymbolSection.Index(int i) && i == s.index();
    }
}
