package org.ebpf4j.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses and validates an ELF64 BPF object. Every offset and size is checked against the file before it is used,
 * with unsigned 64-bit arithmetic, so a hostile file can only lead to an {@link ElfFormatException}.
 */
final class ElfReader {
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int REL_SIZE = 16;
    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;
    private static final int EI_VERSION = 6;
    private static final int ELFCLASS64 = 2;
    private static final int ELFDATA2LSB = 1;
    private static final int ELFDATA2MSB = 2;
    private static final int EV_CURRENT = 1;
    private static final int ET_REL = 1;
    private static final int EM_BPF = 247;
    private static final String HEADER = "ELF header";

    private final String file;
    private final byte[] data;
    private ByteBuffer in;

    ElfReader(String file, byte[] data) {
        this.file = file;
        this.data = data;
    }

    ElfFile read() {
        ByteOrder order = identify();
        in = ByteBuffer.wrap(data).order(order);
        checkHeaderFields();
        long shoff = in.getLong(40);
        int shentsize = u16(58);
        long count = u16(60);
        long shstrndx = u16(62);
        if (shoff == 0) {
            throw fail(HEADER, "e_shoff at offset 0x28 is 0: the object has no section headers");
        }
        if (shentsize != SHDR_SIZE) {
            throw fail(HEADER, "e_shentsize at offset 0x3a is " + shentsize + ", expected " + SHDR_SIZE);
        }
        if (Long.compareUnsigned(shoff, EHDR_SIZE) < 0) {
            throw fail(HEADER, "section header table at offset 0x" + hex(shoff) + " overlaps the ELF header");
        }
        // Extended numbering: a count or string table index too large for the header lives in section 0.
        if (count == 0 || shstrndx == SymbolSection.SHN_XINDEX) {
            checkTableInFile(shoff, 1);
            if (count == 0) {
                count = in.getLong((int) shoff + 32);
            }
            if (shstrndx == SymbolSection.SHN_XINDEX) {
                shstrndx = u32((int) shoff + 40);
            }
        }
        checkTableInFile(shoff, count);
        List<Section> unnamed = new ArrayList<>();
        long[] nameOffsets = new long[(int) count];
        for (int i = 0; i < count; i++) {
            int at = (int) shoff + i * SHDR_SIZE;
            nameOffsets[i] = u32(at);
            unnamed.add(sectionHeader(i, at));
        }
        if (shstrndx == 0 || shstrndx >= count) {
            throw fail(HEADER, "e_shstrndx at offset 0x3e is " + shstrndx + ", but there are " + count
                    + " sections");
        }
        Section names = unnamed.get((int) shstrndx);
        if (names.type() != SectionType.STRTAB) {
            throw fail(HEADER, "e_shstrndx " + shstrndx + " names a section of type " + names.type()
                    + ", not a string table");
        }
        checkInFile(names, "section header " + shstrndx);
        List<Section> sections = new ArrayList<>();
        for (Section s : unnamed) {
            String part = "section header " + s.index() + " at offset 0x" + hex(shoff + (long) s.index() * SHDR_SIZE);
            String name = string(names, "the section name table (index " + shstrndx + ")",
                    nameOffsets[s.index()], part, "sh_name");
            Section named = new Section(s.index(), name, s.typeCode(),
                    s.flags(), s.address(), s.offset(), s.size(), s.link(), s.info(), s.addressAlignment(),
                    s.entrySize());
            checkInFile(named, named.describe());
            sections.add(named);
        }
        SymbolTableReader symbols = new SymbolTableReader(this, sections);
        List<RelocationSection> relocations = new ArrayList<>();
        for (Section s : sections) {
            if (s.type() == SectionType.RELA) {
                throw fail(s.describe(), "SHT_RELA relocations are not supported: BPF objects use SHT_REL");
            }
            if (s.type() == SectionType.REL) {
                relocations.add(relocationSection(s, sections, symbols));
            }
        }
        return new ElfFile(file, data, order, sections, symbols.symbolTable(), symbols.symbols(), relocations);
    }

    private ByteOrder identify() {
        if (data.length < EHDR_SIZE) {
            throw fail(HEADER, "the file is " + data.length + " bytes long, shorter than the " + EHDR_SIZE
                    + "-byte ELF64 header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                throw fail(HEADER, "not an ELF file: the magic number at offset 0x0 is not 7f 45 4c 46");
            }
        }
        if (data[EI_CLASS] != ELFCLASS64) {
            throw fail(HEADER, "EI_CLASS at offset 0x4 is " + data[EI_CLASS]
                    + "; only ELF64 (2) is supported, as clang writes for BPF");
        }
        if (data[EI_VERSION] != EV_CURRENT) {
            throw fail(HEADER, "EI_VERSION at offset 0x6 is " + data[EI_VERSION] + ", expected 1");
        }
        return switch (data[EI_DATA]) {
            case ELFDATA2LSB -> ByteOrder.LITTLE_ENDIAN;
            case ELFDATA2MSB -> ByteOrder.BIG_ENDIAN;
            default -> throw fail(HEADER, "EI_DATA at offset 0x5 is " + data[EI_DATA]
                    + ", neither little (1) nor big (2) endian");
        };
    }

    private void checkHeaderFields() {
        int type = u16(16);
        if (type != ET_REL) {
            // Linked images (ET_EXEC, ET_DYN) have their relocations applied and symbol values turned into
            // addresses; the loader needs the relocations, so only relocatable objects are read.
            throw fail(HEADER, "e_type at offset 0x10 is " + type + "; only relocatable objects (ET_REL, 1) are read");
        }
        int machine = u16(18);
        if (machine != EM_BPF) {
            throw fail(HEADER, "e_machine at offset 0x12 is " + machine + ", not EM_BPF (247)");
        }
        long version = u32(20);
        if (version != EV_CURRENT) {
            throw fail(HEADER, "e_version at offset 0x14 is " + version + ", expected 1");
        }
        int ehsize = u16(52);
        if (ehsize != EHDR_SIZE) {
            throw fail(HEADER, "e_ehsize at offset 0x34 is " + ehsize + ", expected " + EHDR_SIZE);
        }
    }

    private void checkTableInFile(long shoff, long count) {
        if (Long.compareUnsigned(shoff, data.length) > 0 || count > (data.length - shoff) / SHDR_SIZE) {
            throw fail(HEADER, "section header table at offset 0x" + hex(shoff) + " with " + count
                    + " entries extends beyond the end of the file (0x" + hex(data.length) + " bytes)");
        }
    }

    /** The header's fields but its name, which needs the section name table. */
    private Section sectionHeader(int index, int at) {
        return new Section(index, "", in.getInt(at + 4), in.getLong(at + 8), in.getLong(at + 16),
                in.getLong(at + 24), in.getLong(at + 32), in.getInt(at + 40), in.getInt(at + 44),
                in.getLong(at + 48), in.getLong(at + 56));
    }

    private void checkInFile(Section s, String part) {
        SectionType type = s.type();
        if (type == SectionType.NULL || type == SectionType.NOBITS) {
            return;
        }
        if (Long.compareUnsigned(s.offset(), data.length) > 0
                || Long.compareUnsigned(s.size(), data.length - s.offset()) > 0) {
            throw fail(part, "contents at offset 0x" + hex(s.offset()) + " of 0x" + hex(s.size())
                    + " bytes extend beyond the end of the file (0x" + hex(data.length) + " bytes)");
        }
        if (s.size() > 0 && s.offset() < EHDR_SIZE) {
            throw fail(part, "contents at offset 0x" + hex(s.offset()) + " overlap the ELF header");
        }
    }

    private RelocationSection relocationSection(Section rel, List<Section> sections, SymbolTableReader symbols) {
        String part = rel.describe();
        if (rel.entrySize() != REL_SIZE) {
            throw fail(part, "sh_entsize is " + rel.entrySize() + ", but SHT_REL entries are " + REL_SIZE + " bytes");
        }
        if (rel.size() % REL_SIZE != 0) {
            throw fail(part, "size 0x" + hex(rel.size()) + " is not a multiple of " + REL_SIZE);
        }
        Section symtab = symbols.symbolTable();
        if (symtab == null || rel.link() != symtab.index()) {
            throw fail(part, "sh_link " + Integer.toUnsignedString(rel.link()) + " is not the symbol table"
                    + (symtab == null ? " (the object has none)" : " (index " + symtab.index() + ")"));
        }
        if (rel.info() <= 0 || rel.info() >= sections.size()) {
            throw fail(part, "sh_info " + Integer.toUnsignedString(rel.info()) + " is not a section index (there are "
                    + sections.size() + " sections)");
        }
        Section target = sections.get(rel.info());
        List<Symbol> table = symbols.symbols();
        List<Relocation> out = new ArrayList<>();
        for (int i = 0; i < rel.size() / REL_SIZE; i++) {
            int at = (int) rel.offset() + i * REL_SIZE;
            long offset = in.getLong(at);
            long info = in.getLong(at + 8);
            long symbol = info >>> 32;
            long type = info & 0xffff_ffffL;
            String where = "relocation " + i + " at offset 0x" + hex(offset);
            if (symbol >= table.size()) {
                throw fail(part, where + " refers to symbol " + symbol + ", but " + symtab.name() + " has "
                        + table.size() + " symbols");
            }
            RelocationType known = RelocationType.ofCode(type);
            long width = known == null ? 1 : known.width();
            if (Long.compareUnsigned(offset, target.size()) > 0 || Long.compareUnsigned(width, target.size() - offset) > 0) {
                throw fail(part, where + (known == null ? "" : " (" + known + ", " + width + " bytes)")
                        + " lies outside its target " + target.describe() + " of 0x" + hex(target.size()) + " bytes");
            }
            out.add(new Relocation(file, rel, i, offset, table.get((int) symbol), type));
        }
        return new RelocationSection(rel, target, out);
    }

    /** A NUL-terminated string at an offset of a string table section. */
    String string(Section table, long offset, String part, String field) {
        return string(table, "string table " + table.describe(), offset, part, field);
    }

    private String string(Section table, String tableName, long offset, String part, String field) {
        if (Long.compareUnsigned(offset, table.size()) >= 0) {
            throw fail(part, field + " 0x" + hex(offset) + " is beyond the end of " + tableName
                    + " (0x" + hex(table.size()) + " bytes)");
        }
        int start = (int) (table.offset() + offset);
        int end = (int) (table.offset() + table.size());
        for (int i = start; i < end; i++) {
            if (data[i] == 0) {
                return new String(data, start, i - start, StandardCharsets.UTF_8);
            }
        }
        throw fail(part, field + " 0x" + hex(offset) + " points to a string that is not NUL-terminated within "
                + tableName);
    }

    ByteBuffer input() {
        return in;
    }

    private int u16(int at) {
        return in.getShort(at) & 0xffff;
    }

    long u32(int at) {
        return in.getInt(at) & 0xffff_ffffL;
    }

    ElfFormatException fail(String part, String detail) {
        return new ElfFormatException(file, part, detail);
    }

    static String hex(long value) {
        return Long.toHexString(value);
    }
}
