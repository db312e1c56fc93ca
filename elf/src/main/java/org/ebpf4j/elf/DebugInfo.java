package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.btf.BtfExt;
import org.ebpf4j.btf.CoreRelo;
import org.ebpf4j.btf.FuncInfo;
import org.ebpf4j.btf.LineInfo;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.spec.ProgramSpec;

/**
 * The {@code .BTF.ext} records of a linked program: func_info, line_info and CO-RE relocations of every function
 * placed in it, moved from section byte offsets to the program's slots.
 */
final class DebugInfo {
    private final List<ProgramSpec.FunctionStart> functions = new ArrayList<>();
    private final List<ProgramSpec.SourceLine> lines = new ArrayList<>();
    private final List<ProgramSpec.CoreRelocation> coreRelocations = new ArrayList<>();

    DebugInfo(Optional<BtfExt> ext, List<CodeIndex.Function> placed, Map<CodeIndex.Function, Integer> baseOf) {
        for (CodeIndex.Function f : placed) {
            int base = baseOf.get(f);
            String section = f.section().name();
            int btfType = 0;
            if (ext.isPresent()) {
                for (FuncInfo fi : ext.get().funcInfos(section)) {
                    if (slotOf(fi.insnOffset()) == f.start()) {
                        btfType = fi.type();
                    }
                }
                for (LineInfo li : ext.get().lineInfos(section)) {
                    long slot = slotOf(li.insnOffset());
                    if (slot >= f.start() && slot < f.end()) {
                        lines.add(new ProgramSpec.SourceLine(base + (int) slot - f.start(), li.fileName(),
                                li.lineNumber(), li.column(), li.line()));
                    }
                }
                for (CoreRelo cr : ext.get().coreRelos(section)) {
                    long slot = slotOf(cr.insnOffset());
                    if (slot >= f.start() && slot < f.end()) {
                        coreRelocations.add(new ProgramSpec.CoreRelocation(base + (int) slot - f.start(), cr.kind(),
                                cr.type(), cr.accessString()));
                    }
                }
            }
            functions.add(new ProgramSpec.FunctionStart(base, f.name(), btfType));
        }
        lines.sort(Comparator.comparingInt(ProgramSpec.SourceLine::slot));
        coreRelocations.sort(Comparator.comparingInt(ProgramSpec.CoreRelocation::slot));
    }

    private static long slotOf(long byteOffset) {
        return byteOffset / Instruction.SIZE;
    }

    List<ProgramSpec.FunctionStart> functions() {
        return functions;
    }

    List<ProgramSpec.SourceLine> lines() {
        return lines;
    }

    List<ProgramSpec.CoreRelocation> coreRelocations() {
        return coreRelocations;
    }
}
