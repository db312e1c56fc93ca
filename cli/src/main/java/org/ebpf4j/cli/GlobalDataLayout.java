package org.ebpf4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.elf.ElfFile;
import org.ebpf4j.elf.Section;
import org.ebpf4j.elf.Symbol;
import org.ebpf4j.elf.SymbolType;

/**
 * Where each global variable sits in its data section. clang leaves the offsets of a DATASEC's variables 0 in an
 * object file and libbpf fills them in from the symbol table before loading; this does the same lookup, by section
 * and variable name, for readers of global data.
 */
final class GlobalDataLayout {
    private final Map<String, Map<String, Long>> offsets;

    private GlobalDataLayout(Map<String, Map<String, Long>> offsets) {
        this.offsets = offsets;
    }

    static GlobalDataLayout of(Path object) throws IOException {
        ElfFile elf = ElfFile.read(object);
        Map<String, Map<String, Long>> offsets = new HashMap<>();
        for (Section section : elf.sections()) {
            for (Symbol symbol : elf.symbolsIn(section)) {
                if (symbol.type() == SymbolType.OBJECT) {
                    offsets.computeIfAbsent(section.name(), s -> new HashMap<>()).put(symbol.name(), symbol.value());
                }
            }
        }
        return new GlobalDataLayout(offsets);
    }

    /** The variable's byte offset in {@code section}: its symbol's value, else what BTF says. */
    long offset(String section, String variable, DatasecVar var) {
        Long fromSymbol = offsets.getOrDefault(section, Map.of()).get(variable);
        return fromSymbol != null ? fromSymbol : var.offset();
    }
}
