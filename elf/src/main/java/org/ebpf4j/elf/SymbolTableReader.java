package org.ebpf4j.elf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates the object's one SHT_SYMTAB section (none is allowed: then there are no symbols). */
final class SymbolTableReader {
    private static final int SYM_SIZE = 24;

    private final Section symbolTable;
    private final List<Symbol> symbols;

    SymbolTableReader(ElfReader reader, List<Section> sections) {
        Section found = null;
        for (Section s : sections) {
            if (s.type() == SectionType.SYMTAB) {
                if (found != null) {
                    throw reader.fail(s.describe(), "a second symbol table; ELF allows one (the first is "
                            + found.describe() + ")");
                }
                found = s;
            }
        }
        this.symbolTable = found;
        this.symbols = found == null ? List.of() : read(reader, found, sections);
    }

    Section symbolTable() {
        return symbolTable;
    }

    List<Symbol> symbols() {
        return symbols;
    }

    private static List<Symbol> read(ElfReader reader, Section symtab, List<Section> sections) {
        String part = symtab.describe();
        if (symtab.entrySize() != SYM_SIZE) {
            throw reader.fail(part, "sh_entsize is " + symtab.entrySize() + ", but ELF64 symbols are " + SYM_SIZE
                    + " bytes");
        }
        if (symtab.size() % SYM_SIZE != 0) {
            throw reader.fail(part, "size 0x" + ElfReader.hex(symtab.size()) + " is not a multiple of " + SYM_SIZE);
        }
        if (symtab.link() <= 0 || symtab.link() >= sections.size()
                || sections.get(symtab.link()).type() != SectionType.STRTAB) {
            throw reader.fail(part, "sh_link " + Integer.toUnsignedString(symtab.link())
                    + " is not a string table section");
        }
        Section names = sections.get(symtab.link());
        ByteBuffer in = reader.input();
        int count = (int) (symtab.size() / SYM_SIZE);
        List<Symbol> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = (int) symtab.offset() + i * SYM_SIZE;
            String where = "symbol " + i + " at offset 0x" + ElfReader.hex(at);
            int info = in.get(at + 4) & 0xff;
            SymbolBinding binding = SymbolBinding.ofCode(info >>> 4);
            if (binding == null) {
                throw reader.fail(part, where + " has binding " + (info >>> 4) + ", not LOCAL, GLOBAL or WEAK");
            }
            SymbolType type = SymbolType.ofCode(info & 0xf);
            if (type == null) {
                throw reader.fail(part, where + " has unknown type " + (info & 0xf));
            }
            SymbolSection section = section(reader, part, where, in.getShort(at + 6) & 0xffff, sections);
            long value = in.getLong(at + 8);
            long size = in.getLong(at + 16);
            String name = reader.string(names, reader.u32(at), part, where + ": st_name");
            Symbol symbol = new Symbol(i, name, value, size, type, binding,
                    SymbolVisibility.ofCode(in.get(at + 5)), section);
            checkExtent(reader, part, where, symbol, sections);
            out.add(symbol);
        }
        return List.copyOf(out);
    }

    private static SymbolSection section(ElfReader reader, String part, String where, int shndx,
            List<Section> sections) {
        return switch (shndx) {
            case SymbolSection.SHN_UNDEF -> new SymbolSection.Undefined();
            case SymbolSection.SHN_ABS -> new SymbolSection.Absolute();
            case SymbolSection.SHN_COMMON -> new SymbolSection.Common();
            case SymbolSection.SHN_XINDEX -> throw reader.fail(part, where
                    + " has st_shndx SHN_XINDEX, which needs an SHT_SYMTAB_SHNDX section; not supported");
            default -> {
                if (shndx >= SymbolSection.SHN_LORESERVE || shndx >= sections.size()) {
                    throw reader.fail(part, where + " is in section " + shndx + ", but there are "
                            + sections.size() + " sections");
                }
                yield new SymbolSection.Index(shndx);
            }
        };
    }

    /** Functions and variables must lie inside their section: the loader slices programs and data by them. */
    private static void checkExtent(ElfReader reader, String part, String where, Symbol symbol,
            List<Section> sections) {
        if (symbol.type() != SymbolType.FUNC && symbol.type() != SymbolType.OBJECT) {
            return;
        }
        if (!(symbol.section() instanceof SymbolSection.Index(int index))) {
            return;
        }
        Section s = sections.get(index);
        if (Long.compareUnsigned(symbol.value(), s.size()) > 0
                || Long.compareUnsigned(symbol.size(), s.size() - symbol.value()) > 0) {
            throw reader.fail(part, where + " ('" + symbol.name() + "') at 0x" + ElfReader.hex(symbol.value())
                    + " of 0x" + ElfReader.hex(symbol.size()) + " bytes lies outside " + s.describe() + " of 0x"
                    + ElfReader.hex(s.size()) + " bytes");
        }
    }
}
