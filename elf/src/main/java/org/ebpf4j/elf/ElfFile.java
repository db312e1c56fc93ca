package org.ebpf4j.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.InvalidProgramException;

/**
 * A relocatable ELF64 object for the BPF machine (EM_BPF), little or big endian, as clang writes it: its sections,
 * symbols and SHT_REL relocations, all validated when read. Immutable: the reader keeps its own copy of the bytes
 * and hands out read-only views.
 *
 * <p>Only ET_REL objects are read. Linked images (ET_EXEC, ET_DYN) have their relocations applied and their
 * symbol values turned into addresses, and the loader needs the relocations to find map references and calls.
 * SHT_RELA sections are rejected: BPF objects carry their addends in the instructions and use SHT_REL.
 *
 * <p>Every problem in the input is an {@link ElfFormatException} naming the file, the section and the offset.
 */
public final class ElfFile {
    private final String name;
    private final byte[] data;
    private final ByteOrder order;
    private final List<Section> sections;
    private final Section symbolTable;
    private final List<Symbol> symbols;
    private final List<RelocationSection> relocationSections;
    private final Map<Integer, List<Relocation>> relocationsByTarget = new HashMap<>();

    ElfFile(String name, byte[] data, ByteOrder order, List<Section> sections, Section symbolTable,
            List<Symbol> symbols, List<RelocationSection> relocationSections) {
        this.name = name;
        this.data = data;
        this.order = order;
        this.sections = List.copyOf(sections);
        this.symbolTable = symbolTable;
        this.symbols = List.copyOf(symbols);
        this.relocationSections = List.copyOf(relocationSections);
        for (RelocationSection r : relocationSections) {
            relocationsByTarget.computeIfAbsent(r.target().index(), k -> new ArrayList<>()).addAll(r.relocations());
        }
        relocationsByTarget.replaceAll((k, v) -> List.copyOf(v));
    }

    /** Reads an object; {@code name} (usually the file name) starts every error message. */
    public static ElfFile read(String name, byte[] bytes) {
        return new ElfReader(name, bytes.clone()).read();
    }

    /** Reads an object file, named in messages by its file name. */
    public static ElfFile read(Path path) throws IOException {
        return new ElfReader(path.getFileName().toString(), Files.readAllBytes(path)).read();
    }

    public String name() {
        return name;
    }

    /** The byte order of every multi-byte field and instruction (EI_DATA). */
    public ByteOrder byteOrder() {
        return order;
    }

    /** All sections in header order, index 0 (the null section) included, so {@code sections().get(i)} is index i. */
    public List<Section> sections() {
        return sections;
    }

    public Section section(int index) {
        return sections.get(index);
    }

    /** The first section with this name (names are not unique in ELF, but clang writes each once). */
    public Optional<Section> section(String sectionName) {
        return sections.stream().filter(s -> s.name().equals(sectionName)).findFirst();
    }

    /** Sections holding instructions (SHF_EXECINSTR), in header order; clang's {@code .text} is one, even empty. */
    public List<Section> executableSections() {
        return sections.stream().filter(Section::isExecutable).toList();
    }

    /** A read-only view of a section's bytes in the file's byte order; empty for NOBITS (and NULL) sections. */
    public ByteBuffer contents(Section section) {
        if (!hasBytes(section)) {
            return ByteBuffer.allocate(0).order(order).asReadOnlyBuffer();
        }
        return ByteBuffer.wrap(data, (int) section.offset(), (int) section.size()).slice().asReadOnlyBuffer()
                .order(order);
    }

    /** A copy of a section's bytes; empty for NOBITS (and NULL) sections. */
    public byte[] bytes(Section section) {
        if (!hasBytes(section)) {
            return new byte[0];
        }
        int from = (int) section.offset();
        return Arrays.copyOfRange(data, from, from + (int) section.size());
    }

    private static boolean hasBytes(Section section) {
        return section.type() != SectionType.NOBITS && section.type() != SectionType.NULL;
    }

    /** The symbol table section (.symtab), if the object has one. */
    public Optional<Section> symbolTable() {
        return Optional.ofNullable(symbolTable);
    }

    /** All symbols in table order, the null symbol 0 included, so {@code symbols().get(i)} is symbol i. */
    public List<Symbol> symbols() {
        return symbols;
    }

    /** Symbols defined in a section, by value then table index (section and local symbols included). */
    public List<Symbol> symbolsIn(Section section) {
        return symbols.stream()
                .filter(s -> s.isDefinedIn(section))
                .sorted(Comparator.comparingLong(Symbol::value).thenComparingInt(Symbol::index))
                .toList();
    }

    /** A symbol's name, or for a section symbol (which has none) its section's name, as llvm-readelf shows it. */
    public String symbolName(Symbol symbol) {
        if (symbol.type() == SymbolType.SECTION && symbol.name().isEmpty()
                && symbol.section() instanceof SymbolSection.Index(int index)) {
            return sections.get(index).name();
        }
        return symbol.name();
    }

    /** Every SHT_REL section, in header order. */
    public List<RelocationSection> relocationSections() {
        return relocationSections;
    }

    /** The relocations that patch a section, from all SHT_REL sections aimed at it, in file order. */
    public List<Relocation> relocationsFor(Section target) {
        return relocationsByTarget.getOrDefault(target.index(), List.of());
    }

    /**
     * Decodes a section's bytes as instructions in the file's byte order. Fails with an {@link ElfFormatException}
     * on a size that is not a whole number of instructions or an lddw cut in half; the instructions themselves are
     * not checked (that is {@link org.ebpf4j.isa.StructureCheck}'s job).
     */
    public Instructions instructions(Section section) {
        if (section.size() % Instruction.SIZE != 0) {
            throw new ElfFormatException(name, section.describe(), "size 0x" + Long.toHexString(section.size())
                    + " at offset 0x" + Long.toHexString(section.offset()) + " is not a multiple of the "
                    + Instruction.SIZE + "-byte instruction size");
        }
        try {
            return Instructions.decode(bytes(section), order);
        } catch (InvalidProgramException e) {
            long at = section.offset() + (long) Math.max(e.index(), 0) * Instruction.SIZE;
            throw new ElfFormatException(name, section.describe(), "instruction at file offset 0x"
                    + Long.toHexString(at) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ElfFile[" + name + ", " + order + ", " + sections.size() + " sections, " + symbols.size()
                + " symbols]";
    }
}
