package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.isa.text.SymbolTable;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramSpec;

/**
 * A linked program as {@code llvm-objdump -d} (or {@code -S}, with source lines) would show it, with the map behind
 * each lddw and the name of each helper called as end-of-line comments.
 */
final class ObjectListing {
    private ObjectListing() {}

    static String program(ProgramSpec p, boolean withSource) {
        List<SymbolTable.Symbol> functions = p.functions().stream()
                .map(f -> new SymbolTable.Symbol(f.name(), (long) f.slot() * 8)).toList();
        Map<Integer, List<String>> source = new HashMap<>();
        if (withSource) {
            String previous = null;
            for (ProgramSpec.SourceLine line : p.lines()) {
                String text = "; " + line.text();
                if (!text.equals(previous)) {
                    source.computeIfAbsent(line.slot(), s -> new ArrayList<>()).add(text);
                }
                previous = text;
            }
        }
        Map<Integer, String> comments = new HashMap<>();
        for (ProgramSpec.MapReference r : p.mapReferences()) {
            comments.put(r.slot(), r.value() ? "map '" + r.mapName() + "' value + " + r.offset() : "map '" + r.mapName() + "'");
        }
        for (int i = 0; i < p.instructions().size(); i++) {
            var insn = p.instructions().get(i);
            if (insn.isHelperCall()) {
                int slot = p.instructions().slotOf(i);
                HelperFunction.of(insn.imm32()).ifPresent(h -> comments.put(slot, h.kernelName()));
            }
        }
        String header = "Program " + p.name() + " (" + p.type().kernelName() + ", section " + p.sectionName() + ")\n";
        return header + Disassembler.llvmObjdump().listing(p.instructions(),
                SymbolTable.of(p.sectionName(), functions), new Disassembler.Annotations() {
                    @Override
                    public List<String> before(int slot) {
                        return source.getOrDefault(slot, List.of());
                    }

                    @Override
                    public String after(int slot) {
                        return comments.get(slot);
                    }
                });
    }
}
