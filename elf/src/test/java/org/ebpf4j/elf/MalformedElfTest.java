package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * One broken copy of a real object per rule the reader enforces, each with the exact message expected. Offsets are
 * taken from the intact object, so a rebuilt fixture with a different layout keeps the table valid.
 */
class MalformedElfTest {
    private static final String NAME = "globals.v3";
    private static final String FILE = NAME + ".o";
    private static final byte[] ORIGINAL = Fixtures.bytes(NAME);
    private static final ElfFile BASE = Fixtures.read(NAME);
    private static final int SHOFF = (int) le(ORIGINAL).getLong(40);
    private static final int SHNUM = BASE.sections().size();
    private static final Section XDP = BASE.section("xdp").orElseThrow();
    private static final Section REL_XDP = BASE.section(".relxdp").orElseThrow();
    private static final Section DATA = BASE.section(".data").orElseThrow();
    private static final Section STRTAB = BASE.section(".strtab").orElseThrow();
    private static final Section SYMTAB = BASE.symbolTable().orElseThrow();
    /** The program symbol in xdp: a FUNC covering the whole section. */
    private static final Symbol ACCOUNT = BASE.symbols().stream().filter(s -> s.name().equals("account"))
            .findFirst().orElseThrow();
    private static final int SYMBOLS = BASE.symbols().size();

    private record Case(String name, Consumer<ByteBuffer> mutation, String message) {}

    @TestFactory
    Stream<DynamicTest> eachMalformationGivesItsMessage() {
        return Stream.of(
                new Case("bad magic", b -> b.put(1, (byte) 'X'),
                        "ELF header: not an ELF file: the magic number at offset 0x0 is not 7f 45 4c 46"),
                new Case("32-bit class", b -> b.put(4, (byte) 1),
                        "ELF header: EI_CLASS at offset 0x4 is 1; only ELF64 (2) is supported, as clang writes for BPF"),
                new Case("unknown byte order", b -> b.put(5, (byte) 3),
                        "ELF header: EI_DATA at offset 0x5 is 3, neither little (1) nor big (2) endian"),
                new Case("ident version", b -> b.put(6, (byte) 0),
                        "ELF header: EI_VERSION at offset 0x6 is 0, expected 1"),
                new Case("executable, not relocatable", b -> b.putShort(16, (short) 2),
                        "ELF header: e_type at offset 0x10 is 2; only relocatable objects (ET_REL, 1) are read"),
                new Case("x86-64 machine", b -> b.putShort(18, (short) 62),
                        "ELF header: e_machine at offset 0x12 is 62, not EM_BPF (247)"),
                new Case("e_version", b -> b.putInt(20, 2), "ELF header: e_version at offset 0x14 is 2, expected 1"),
                new Case("header size", b -> b.putShort(52, (short) 52),
                        "ELF header: e_ehsize at offset 0x34 is 52, expected 64"),
                new Case("no section headers", b -> b.putLong(40, 0),
                        "ELF header: e_shoff at offset 0x28 is 0: the object has no section headers"),
                new Case("section header size", b -> b.putShort(58, (short) 40),
                        "ELF header: e_shentsize at offset 0x3a is 40, expected 64"),
                new Case("section table overlaps the header", b -> b.putLong(40, 16),
                        "ELF header: section header table at offset 0x10 overlaps the ELF header"),
                new Case("section table beyond EOF", b -> b.putLong(40, SHOFF + 64),
                        "ELF header: section header table at offset 0x" + hex(SHOFF + 64) + " with " + SHNUM
                                + " entries extends beyond the end of the file (0x" + hex(ORIGINAL.length) + " bytes)"),
                new Case("too many sections", b -> b.putShort(60, (short) (SHNUM + 1)),
                        "ELF header: section header table at offset 0x" + hex(SHOFF) + " with " + (SHNUM + 1)
                                + " entries extends beyond the end of the file (0x" + hex(ORIGINAL.length) + " bytes)"),
                new Case("shstrndx out of range", b -> b.putShort(62, (short) SHNUM),
                        "ELF header: e_shstrndx at offset 0x3e is " + SHNUM + ", but there are " + SHNUM
                                + " sections"),
                new Case("shstrndx names code", b -> b.putShort(62, (short) XDP.index()),
                        "ELF header: e_shstrndx " + XDP.index() + " names a section of type PROGBITS, not a string table"),
                new Case("section beyond EOF", b -> b.putLong(header(DATA) + 32, ORIGINAL.length),
                        "section '.data' (index " + DATA.index() + "): contents at offset 0x" + hex(DATA.offset())
                                + " of 0x" + hex(ORIGINAL.length) + " bytes extend beyond the end of the file (0x"
                                + hex(ORIGINAL.length) + " bytes)"),
                new Case("section offset beyond EOF", b -> b.putLong(header(DATA) + 24, -8),
                        "section '.data' (index " + DATA.index() + "): contents at offset 0xfffffffffffffff8 of 0x"
                                + hex(DATA.size()) + " bytes extend beyond the end of the file (0x"
                                + hex(ORIGINAL.length) + " bytes)"),
                new Case("section overlaps the header", b -> b.putLong(header(DATA) + 24, 8),
                        "section '.data' (index " + DATA.index() + "): contents at offset 0x8 overlap the ELF header"),
                new Case("bad section name offset", b -> b.putInt(header(DATA), 0x7fffff),
                        "section header " + DATA.index() + " at offset 0x" + hex(header(DATA))
                                + ": sh_name 0x7fffff is beyond the end of the section name table (index "
                                + STRTAB.index() + ") (0x" + hex(STRTAB.size()) + " bytes)"),
                new Case("unterminated section name", b -> {
                            b.put((int) (STRTAB.offset() + STRTAB.size() - 1), (byte) 'x');
                            b.putInt(header(DATA), (int) STRTAB.size() - 1);
                        },
                        "section header " + DATA.index() + " at offset 0x" + hex(header(DATA)) + ": sh_name 0x"
                                + hex(STRTAB.size() - 1) + " points to a string that is not NUL-terminated within"
                                + " the section name table (index " + STRTAB.index() + ")"),
                new Case("symbol size", b -> b.putLong(header(SYMTAB) + 56, 16),
                        "section '.symtab' (index " + SYMTAB.index() + "): sh_entsize is 16, but ELF64 symbols are 24 bytes"),
                new Case("symbol table size", b -> b.putLong(header(SYMTAB) + 32, SYMTAB.size() - 1),
                        "section '.symtab' (index " + SYMTAB.index() + "): size 0x" + hex(SYMTAB.size() - 1)
                                + " is not a multiple of 24"),
                new Case("symbol strings not a string table", b -> b.putInt(header(SYMTAB) + 40, XDP.index()),
                        "section '.symtab' (index " + SYMTAB.index() + "): sh_link " + XDP.index()
                                + " is not a string table section"),
                new Case("second symbol table", b -> b.putInt(header(DATA) + 4, 2),
                        "section '.symtab' (index " + SYMTAB.index()
                                + "): a second symbol table; ELF allows one (the first is section '.data' (index "
                                + DATA.index() + "))"),
                new Case("symbol in a missing section", b -> b.putShort(symbol(ACCOUNT) + 6, (short) 200),
                        symbolError("is in section 200, but there are " + SHNUM + " sections")),
                new Case("symbol in a reserved section", b -> b.putShort(symbol(ACCOUNT) + 6, (short) 0xff20),
                        symbolError("is in section 65312, but there are " + SHNUM + " sections")),
                new Case("SHN_XINDEX symbol", b -> b.putShort(symbol(ACCOUNT) + 6, (short) 0xffff),
                        symbolError("has st_shndx SHN_XINDEX, which needs an SHT_SYMTAB_SHNDX section; not supported")),
                new Case("unknown binding", b -> b.put(symbol(ACCOUNT) + 4, (byte) 0x52),
                        symbolError("has binding 5, not LOCAL, GLOBAL or WEAK")),
                new Case("unknown symbol type", b -> b.put(symbol(ACCOUNT) + 4, (byte) 0x1a),
                        symbolError("has unknown type 10")),
                new Case("bad symbol name", b -> b.putInt(symbol(ACCOUNT), -1),
                        "section '.symtab' (index " + SYMTAB.index() + "): symbol " + ACCOUNT.index()
                                + " at offset 0x" + hex(symbol(ACCOUNT)) + ": st_name 0xffffffff is beyond the end of"
                                + " string table section '.strtab' (index " + STRTAB.index() + ") (0x"
                                + hex(STRTAB.size()) + " bytes)"),
                new Case("function beyond its section", b -> b.putLong(symbol(ACCOUNT) + 16, XDP.size() + 8),
                        symbolError("('account') at 0x0 of 0x" + hex(XDP.size() + 8) + " bytes lies outside section"
                                + " 'xdp' (index " + XDP.index() + ") of 0x" + hex(XDP.size()) + " bytes")),
                new Case("relocation to a missing symbol", b -> b.putLong((int) REL_XDP.offset() + 16 * 3 + 8,
                                (99L << 32) | 1),
                        relError("relocation 3 at offset 0x" + hex(relOffset(3)) + " refers to symbol 99, but .symtab has "
                                + SYMBOLS + " symbols")),
                new Case("relocation beyond its target", b -> b.putLong((int) REL_XDP.offset(), XDP.size() - 8),
                        relError("relocation 0 at offset 0x" + hex(XDP.size() - 8) + " (R_BPF_64_64, 16 bytes) lies"
                                + " outside its target section 'xdp' (index " + XDP.index() + ") of 0x"
                                + hex(XDP.size()) + " bytes")),
                new Case("relocation entry size", b -> b.putLong(header(REL_XDP) + 56, 24),
                        relError("sh_entsize is 24, but SHT_REL entries are 16 bytes")),
                new Case("relocation table size", b -> b.putLong(header(REL_XDP) + 32, REL_XDP.size() - 4),
                        relError("size 0x" + hex(REL_XDP.size() - 4) + " is not a multiple of 16")),
                new Case("relocation symbols not .symtab", b -> b.putInt(header(REL_XDP) + 40, DATA.index()),
                        relError("sh_link " + DATA.index() + " is not the symbol table (index " + SYMTAB.index() + ")")),
                new Case("relocation target 0", b -> b.putInt(header(REL_XDP) + 44, 0),
                        relError("sh_info 0 is not a section index (there are " + SHNUM + " sections)")),
                new Case("relocation target out of range", b -> b.putInt(header(REL_XDP) + 44, SHNUM),
                        relError("sh_info " + SHNUM + " is not a section index (there are " + SHNUM + " sections)")),
                new Case("RELA", b -> b.putInt(header(REL_XDP) + 4, 4),
                        relError("SHT_RELA relocations are not supported: BPF objects use SHT_REL")))
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> {
                    ElfFormatException e = assertThrows(ElfFormatException.class,
                            () -> ElfFile.read(FILE, mutate(c.mutation())));
                    assertEquals(FILE + ": " + c.message(), e.getMessage());
                    assertEquals(FILE, e.file());
                }));
    }

    @Test
    void truncatedAnywhereIsAFormatError() {
        int[] cuts = IntStream.concat(IntStream.of(0, 1, 4, 16, 40, 63, 64, (int) XDP.offset() + 3, SHOFF,
                        SHOFF + 1, ORIGINAL.length - 64, ORIGINAL.length - 1),
                IntStream.iterate(0, i -> i < ORIGINAL.length, i -> i + 97)).toArray();
        for (int cut : cuts) {
            byte[] truncated = Arrays.copyOf(ORIGINAL, cut);
            ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.read(FILE, truncated),
                    "cut at " + cut);
            if (cut < 64) {
                assertEquals(FILE + ": ELF header: the file is " + cut
                        + " bytes long, shorter than the 64-byte ELF64 header", e.getMessage());
            } else {
                // The section header table is last in clang's objects: any cut leaves it incomplete.
                assertEquals(FILE + ": ELF header: section header table at offset 0x" + hex(SHOFF) + " with "
                        + SHNUM + " entries extends beyond the end of the file (0x" + hex(cut)
                        + " bytes)", e.getMessage(), "cut at " + cut);
            }
        }
    }

    @Test
    void unknownRelocationTypeIsReportedWhenUsed() {
        byte[] bytes = mutate(b -> b.putInt((int) REL_XDP.offset() + 16 * 2 + 8, 7));
        ElfFile elf = ElfFile.read(FILE, bytes);
        Relocation r = elf.relocationsFor(elf.section("xdp").orElseThrow()).get(2);
        ElfFormatException e = assertThrows(ElfFormatException.class, r::type);
        assertEquals(FILE + ": section '.relxdp' (index " + REL_XDP.index() + "): relocation 2 at offset 0x"
                + hex(relOffset(2)) + " has unknown type 7", e.getMessage());
    }

    @Test
    void codeThatIsNotWholeInstructionsIsReportedWhenDecoded() {
        ElfFile longer = ElfFile.read(FILE, mutate(b -> b.putLong(header(XDP) + 32, XDP.size() + 4)));
        ElfFormatException e = assertThrows(ElfFormatException.class,
                () -> longer.instructions(longer.section("xdp").orElseThrow()));
        assertEquals(FILE + ": section 'xdp' (index " + XDP.index() + "): size 0x" + hex(XDP.size() + 4)
                + " at offset 0x" + hex(XDP.offset()) + " is not a multiple of the 8-byte instruction size",
                e.getMessage());

        // The last instruction (exit) becomes the first half of an lddw with nothing after it.
        int last = (int) (XDP.offset() + XDP.size() - 8);
        ElfFile cut = ElfFile.read(FILE, mutate(b -> b.put(last, (byte) 0x18)));
        e = assertThrows(ElfFormatException.class, () -> cut.instructions(cut.section("xdp").orElseThrow()));
        assertEquals(FILE + ": section 'xdp' (index " + XDP.index() + "): instruction at file offset 0x" + hex(last)
                + ": insn " + (XDP.size() / 8 - 1) + ": lddw is missing its second half", e.getMessage());
    }

    private static String symbolError(String detail) {
        return "section '.symtab' (index " + SYMTAB.index() + "): symbol " + ACCOUNT.index() + " at offset 0x"
                + hex(symbol(ACCOUNT)) + " " + detail;
    }

    private static String relError(String detail) {
        return "section '.relxdp' (index " + REL_XDP.index() + "): " + detail;
    }

    private static long relOffset(int i) {
        return BASE.relocationSections().stream().filter(r -> r.section().equals(REL_XDP)).findFirst()
                .orElseThrow().relocations().get(i).offset();
    }

    private static int header(Section s) {
        return SHOFF + 64 * s.index();
    }

    private static int symbol(Symbol s) {
        return (int) SYMTAB.offset() + 24 * s.index();
    }

    private static byte[] mutate(Consumer<ByteBuffer> mutation) {
        byte[] copy = ORIGINAL.clone();
        mutation.accept(le(copy));
        return copy;
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String hex(long v) {
        return Long.toHexString(v);
    }
}
