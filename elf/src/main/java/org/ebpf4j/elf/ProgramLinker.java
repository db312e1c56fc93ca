package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfExt;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.SectionMatch;
import org.ebpf4j.spec.SectionNames;

/**
 * Turns the functions of an object into linked programs: every global function in a program section is a
 * program; the functions it calls (in {@code .text} or its own section), and the functions whose address it takes,
 * are appended to it once each, in the order first needed, and every call and function address is re-pointed at
 * the copy. Map and global-data references become lddw with {@code src_reg} 1 or 2 and a {@link
 * ProgramSpec.MapReference} naming the map.
 */
final class ProgramLinker {
    private static final String TEXT = ".text";

    private final ElfFile elf;
    private final DebugInfo debugInfo;
    private final MapCatalog maps;
    private final ObjectLoader.ObjectInfo info;
    private final CodeIndex code;

    ProgramLinker(ElfFile elf, Optional<Btf> btf, Optional<BtfExt> btfExt, MapCatalog maps,
                  ObjectLoader.ObjectInfo info) {
        this.elf = elf;
        this.debugInfo = new DebugInfo(btfExt);
        this.maps = maps;
        this.info = info;
        this.code = new CodeIndex(elf);
    }

    Map<String, ProgramSpec> linkAll() {
        Map<String, ProgramSpec> programs = new LinkedHashMap<>();
        for (Section section : elf.executableSections()) {
            if (section.name().equals(TEXT) || code.functions(section).isEmpty()) {
                continue;
            }
            SectionMatch match = SectionNames.resolve(section.name());
            if (!(match instanceof SectionMatch.Known known)) {
                throw new ObjectLoadException(elf.name(), section.describe(), "unknown program section name '"
                        + section.name() + "' (see docs/section-names.md for the names ebpf4j knows)");
            }
            for (CodeIndex.Function f : code.functions(section)) {
                if (f.symbol().binding() == SymbolBinding.LOCAL) {
                    throw new ObjectLoadException(elf.name(), section.describe(), "function '" + f.name()
                            + "' is static: programs must be global functions (static ones belong in .text)");
                }
                ProgramSpec spec = link(f, known);
                if (programs.putIfAbsent(spec.name(), spec) != null) {
                    throw new ObjectLoadException(elf.name(), section.describe(), "a second program named '"
                            + spec.name() + "'");
                }
            }
        }
        return programs;
    }

    private ProgramSpec link(CodeIndex.Function program, SectionMatch.Known section) {
        var build = new LinkedProgram();
        build.place(program);
        for (int next = 0; next < build.placed.size(); next++) {
            CodeIndex.Function f = build.placed.get(next);
            int base = build.baseOf.get(f);
            for (int slot = f.start(); slot < f.end(); slot += code.instructions(f.section()).at(slot).slots()) {
                relocate(build, f, slot, base + slot - f.start());
            }
        }
        DebugInfo.ForProgram debug = debugInfo.forProgram(build.placed, build.baseOf);
        return new ProgramSpec(program.name(), program.section().name(), section.programType(),
                section.expectedAttachType(), section.target(), section.definition().programLoadFlags(),
                info.license(), info.kernelVersion(), Instructions.of(build.instructions), build.mapReferences,
                debug.functions(), debug.lines(), debug.coreRelocations());
    }

    /** Fixes up the instruction at {@code slot} of {@code f}, copied to {@code linkedSlot}. */
    private void relocate(LinkedProgram build, CodeIndex.Function f, int slot, int linkedSlot) {
        Instruction insn = code.instructions(f.section()).at(slot);
        Optional<Relocation> relocation = code.relocationAt(f.section(), slot);
        String where = f.section().describe() + ", insn " + slot;
        if (insn.isLocalCall()) {
            int target = relocation.map(r -> symbolSlot(r, where) + insn.imm32() + 1).orElse(slot + insn.imm32() + 1);
            Section targetSection = relocation.map(r -> sectionOf(r, where)).orElse(f.section());
            int linkedTarget = build.linkedSlotOf(code.functionAt(targetSection, target, where), target);
            build.set(linkedSlot, insn.withDisplacement(linkedTarget - linkedSlot - 1));
            return;
        }
        if (relocation.isEmpty()) {
            return;
        }
        Relocation r = relocation.get();
        if (!insn.isLddw()) {
            throw new ObjectLoadException(elf.name(), where, "relocation against '" + elf.symbolName(r.symbol())
                    + "' on an instruction that is neither lddw nor a call");
        }
        Symbol symbol = r.symbol();
        if (symbol.sectionIndex().isPresent() && elf.section(symbol.sectionIndex().getAsInt()).isExecutable()) {
            // The address of a function (a callback for bpf_loop and friends): BPF_PSEUDO_FUNC.
            long targetByte = symbol.value() + insn.imm32();
            Section targetSection = elf.section(symbol.sectionIndex().getAsInt());
            if (targetByte < 0 || targetByte % Instruction.SIZE != 0) {
                throw new ObjectLoadException(elf.name(), where, "address of byte " + targetByte + " of "
                        + targetSection.describe() + ", which is not an instruction");
            }
            int target = (int) (targetByte / Instruction.SIZE);
            int linkedTarget = build.linkedSlotOf(code.functionAt(targetSection, target, where), target);
            build.set(linkedSlot, new Instruction(Opcode.LDDW, insn.dst(), Opcode.PSEUDO_FUNC, 0,
                    linkedTarget - linkedSlot - 1));
            return;
        }
        MapTarget map = maps.resolve(symbol).orElseThrow(() -> new ObjectLoadException(elf.name(), where,
                symbol.isUndefined()
                        ? "extern '" + symbol.name() + "' is not supported (only __kconfig externs are)"
                        : "relocation against '" + elf.symbolName(symbol) + "', which is neither a map, global"
                                + " data nor code"));
        if (!map.value()) {
            build.set(linkedSlot, new Instruction(Opcode.LDDW, insn.dst(), Opcode.PSEUDO_MAP_FD, 0, 0));
            build.mapReferences.add(new ProgramSpec.MapReference(linkedSlot, map.mapName(), false, 0));
            return;
        }
        long offset = map.offset() + Integer.toUnsignedLong(insn.imm32());
        if (offset > Integer.MAX_VALUE) {
            throw new ObjectLoadException(elf.name(), where, "offset " + offset + " into map '" + map.mapName()
                    + "' is out of range");
        }
        // Kernel form of a map value address: the map in the first half's imm, the offset in the second half's.
        build.set(linkedSlot, new Instruction(Opcode.LDDW, insn.dst(), Opcode.PSEUDO_MAP_VALUE, 0, offset << 32));
        build.mapReferences.add(new ProgramSpec.MapReference(linkedSlot, map.mapName(), true, (int) offset));
    }

    /** Slot of a call relocation's symbol in its section: 0 for section symbols, the function's start otherwise. */
    private int symbolSlot(Relocation r, String where) {
        if (r.symbol().value() % Instruction.SIZE != 0) {
            throw new ObjectLoadException(elf.name(), where,
                    "call target '" + elf.symbolName(r.symbol()) + "' is not instruction-aligned");
        }
        return (int) (r.symbol().value() / Instruction.SIZE);
    }

    private Section sectionOf(Relocation r, String where) {
        var index = r.symbol().sectionIndex();
        if (index.isEmpty() || !elf.section(index.getAsInt()).isExecutable()) {
            throw new ObjectLoadException(elf.name(), where, "call to '" + elf.symbolName(r.symbol())
                    + "', which is not a function of this object"
                    + (r.symbol().isUndefined() ? " (calls to kernel functions are not supported)" : ""));
        }
        return elf.section(index.getAsInt());
    }

    /** The program being linked: its instructions so far and where each placed function starts. */
    private final class LinkedProgram {
        final List<Instruction> instructions = new ArrayList<>();
        final List<Integer> slotOfInstruction = new ArrayList<>();
        final Map<Integer, Integer> indexOfSlot = new HashMap<>();
        final List<CodeIndex.Function> placed = new ArrayList<>();
        final Map<CodeIndex.Function, Integer> baseOf = new HashMap<>();
        final List<ProgramSpec.MapReference> mapReferences = new ArrayList<>();
        int slots;

        void place(CodeIndex.Function f) {
            placed.add(f);
            baseOf.put(f, slots);
            Instructions source = code.instructions(f.section());
            for (int slot = f.start(); slot < f.end(); ) {
                Instruction insn = source.at(slot);
                indexOfSlot.put(slots, instructions.size());
                slotOfInstruction.add(slots);
                instructions.add(insn);
                slots += insn.slots();
                slot += insn.slots();
            }
        }

        /** Where {@code slot} of {@code f} lands in this program, placing {@code f} first if it is not yet. */
        int linkedSlotOf(CodeIndex.Function f, int slot) {
            if (!baseOf.containsKey(f)) {
                place(f);
            }
            return baseOf.get(f) + slot - f.start();
        }

        void set(int linkedSlot, Instruction insn) {
            instructions.set(indexOfSlot.get(linkedSlot), insn);
        }
    }
}
