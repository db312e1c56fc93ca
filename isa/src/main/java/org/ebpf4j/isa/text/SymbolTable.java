package org.ebpf4j.isa.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The symbols of one code section, as llvm-objdump uses them: a header line where each starts, and a
 * {@code <name+0xoff>} suffix naming where a jump lands. Addresses are byte offsets into the section.
 *
 * <p>llvm-objdump names a jump target after the last symbol at or below it, comparing addresses as unsigned
 * numbers (so a jump before the section start names the last symbol), and falls back to the section's own
 * symbol, whose name is the section name.
 */
public final class SymbolTable {
    /** A named address in the section. */
    public record Symbol(String name, long address) {}

    private final String section;
    private final List<Symbol> symbols;

    private SymbolTable(String section, List<Symbol> symbols) {
        this.section = section;
        List<Symbol> sorted = new ArrayList<>(symbols);
        sorted.sort(Comparator.comparing(Symbol::address, Long::compareUnsigned));
        this.symbols = List.copyOf(sorted);
    }

    public static SymbolTable of(String section, List<Symbol> symbols) {
        return new SymbolTable(section, symbols);
    }

    /** A section without symbols of its own: targets read {@code <.text+0x10>}. */
    public static SymbolTable sectionOnly(String section) {
        return new SymbolTable(section, List.of());
    }

    public String section() {
        return section;
    }

    public List<Symbol> symbols() {
        return symbols;
    }

    /** The symbols that start at a byte address, in table order. */
    public List<Symbol> startingAt(long address) {
        return symbols.stream().filter(s -> s.address() == address).toList();
    }

    /** The {@code <name>} or {@code <name+0xoff>} that llvm-objdump appends to a branch to this byte address. */
    public String describe(long address) {
        String name = section;
        long base = 0;
        for (Symbol s : symbols) {
            if (Long.compareUnsigned(s.address(), address) <= 0) {
                name = s.name();
                base = s.address();
            }
        }
        long delta = address - base;
        return delta == 0 ? "<" + name + ">" : "<" + name + "+" + Hex.unsigned(delta) + ">";
    }
}
