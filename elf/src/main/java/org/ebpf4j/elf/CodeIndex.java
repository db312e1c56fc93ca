package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The code of an object, indexed for linking: each executable section decoded once, its functions (FUNC symbols)
 * as slot ranges, and its relocations by slot.
 */
final class CodeIndex {
    /** A function: slots {@code [start, end)} of its section. */
    record Function(Section section, String name, int start, int end, Symbol symbol) {}

    private final ElfFile elf;
    private final Map<Integer, Instructions> instructions = new HashMap<>();
    private final Map<Integer, List<Function>> functions = new HashMap<>();
    private final Map<Integer, Map<Integer, Relocation>> relocations = new HashMap<>();

    CodeIndex(ElfFile elf) {
        this.elf = elf;
    }

    Instructions instructions(Section section) {
        return instructions.computeIfAbsent(section.index(), i -> elf.instructions(section));
    }

    /** The section's functions in address order. */
    List<Function> functions(Section section) {
        return functions.computeIfAbsent(section.index(), i -> readFunctions(section));
    }

    private List<Function> readFunctions(Section section) {
        List<Symbol> symbols = elf.symbolsIn(section).stream()
                .filter(s -> s.type() == SymbolType.FUNC)
                .sorted(Comparator.comparingLong(Symbol::value))
                .toList();
        List<Function> out = new ArrayList<>();
        long sectionEnd = section.size();
        for (int i = 0; i < symbols.size(); i++) {
            Symbol s = symbols.get(i);
            long end = s.size() != 0 ? s.value() + s.size()
                    : i + 1 < symbols.size() ? symbols.get(i + 1).value() : sectionEnd;
            if (s.value() % Instruction.SIZE != 0 || end % Instruction.SIZE != 0 || end > sectionEnd
                    || end <= s.value()) {
                throw new ObjectLoadException(elf.name(), section.describe(), "function '" + s.name()
                        + "' spans bytes 0x" + Long.toHexString(s.value()) + "-0x" + Long.toHexString(end)
                        + ", which are not whole instructions of the section");
            }
            int start = (int) (s.value() / Instruction.SIZE);
            if (!instructions(section).startsInstruction(start)) {
                throw new ObjectLoadException(elf.name(), section.describe(), "function '" + s.name()
                        + "' starts inside an lddw at insn " + start);
            }
            out.add(new Function(section, s.name(), start, (int) (end / Instruction.SIZE), s));
        }
        return List.copyOf(out);
    }

    /** The function of {@code section} that contains {@code slot}; {@code where} names the referring instruction. */
    Function functionAt(Section section, int slot, String where) {
        for (Function f : functions(section)) {
            if (slot >= f.start() && slot < f.end()) {
                if (!instructions(section).startsInstruction(slot)) {
                    break;
                }
                return f;
            }
        }
        throw new ObjectLoadException(elf.name(), where, "refers to insn " + slot + " of " + section.describe()
                + ", which does not start an instruction of any function");
    }

    /** The relocation of the instruction at {@code slot}, if it has one. */
    Optional<Relocation> relocationAt(Section section, int slot) {
        return Optional.ofNullable(relocations.computeIfAbsent(section.index(), i -> readRelocations(section)).get(slot));
    }

    private Map<Integer, Relocation> readRelocations(Section section) {
        Map<Integer, Relocation> bySlot = new HashMap<>();
        Instructions code = instructions(section);
        for (Relocation r : elf.relocationsFor(section)) {
            long slot = r.offset() / Instruction.SIZE;
            if (r.offset() % Instruction.SIZE != 0 || !code.startsInstruction((int) slot)) {
                throw new ObjectLoadException(elf.name(), section.describe(), "relocation " + r.index()
                        + " at offset 0x" + Long.toHexString(r.offset()) + " is not at the start of an instruction");
            }
            r.type(); // an unknown relocation type is an error here, where it matters
            if (bySlot.put((int) slot, r) != null) {
                throw new ObjectLoadException(elf.name(), section.describe(), "two relocations for insn " + slot);
            }
        }
        return bySlot;
    }
}
