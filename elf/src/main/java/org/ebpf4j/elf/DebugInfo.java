package org.ebpf4j.elf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.ebpf4j.btf.BtfExt;
import org.ebpf4j.btf.CoreRelo;
import org.ebpf4j.btf.FuncInfo;
import org.ebpf4j.btf.LineInfo;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.spec.ProgramSpec;

/**
 * An object's {@code .BTF.ext} records indexed by section and offset, so that each linked program takes the
 * func_info, line_info and CO-RE records of the functions placed in it, moved from section byte offsets to its
 * own slots, without scanning the whole object per function.
 */
final class DebugInfo {
    /** The records of one linked program. */
    record ForProgram(List<ProgramSpec.FunctionStart> functions, List<ProgramSpec.SourceLine> lines,
                      List<ProgramSpec.CoreRelocation> coreRelocations) {}

    private final Map<String, List<FuncInfo>> funcInfos = new HashMap<>();
    private final Map<String, List<LineInfo>> lineInfos = new HashMap<>();
    private final Map<String, List<CoreRelo>> coreRelos = new HashMap<>();

    DebugInfo(Optional<BtfExt> ext) {
        ext.ifPresent(e -> {
            index(e.funcInfos(), FuncInfo::section, FuncInfo::insnOffset, funcInfos);
            index(e.lineInfos(), LineInfo::section, LineInfo::insnOffset, lineInfos);
            index(e.coreRelos(), CoreRelo::section, CoreRelo::insnOffset, coreRelos);
        });
    }

    private static <T> void index(List<T> records, java.util.function.Function<T, String> section,
                                  ToLongFunction<T> offset, Map<String, List<T>> into) {
        for (T r : records) {
            into.computeIfAbsent(section.apply(r), s -> new ArrayList<>()).add(r);
        }
        into.values().forEach(list -> list.sort(Comparator.comparingLong(offset)));
    }

    ForProgram forProgram(List<CodeIndex.Function> placed, Map<CodeIndex.Function, Integer> baseOf) {
        List<ProgramSpec.FunctionStart> functions = new ArrayList<>();
        List<ProgramSpec.SourceLine> lines = new ArrayList<>();
        List<ProgramSpec.CoreRelocation> core = new ArrayList<>();
        for (CodeIndex.Function f : placed) {
            int base = baseOf.get(f);
            String section = f.section().name();
            int btfType = 0;
            for (FuncInfo fi : within(funcInfos, section, FuncInfo::insnOffset, f)) {
                if (slotOf(fi.insnOffset()) == f.start()) {
                    btfType = fi.type();
                }
            }
            functions.add(new ProgramSpec.FunctionStart(base, f.name(), btfType));
            for (LineInfo li : within(lineInfos, section, LineInfo::insnOffset, f)) {
                lines.add(new ProgramSpec.SourceLine(moved(li.insnOffset(), f, base), li.fileName(), li.lineNumber(),
                        li.column(), li.line()));
            }
            for (CoreRelo cr : within(coreRelos, section, CoreRelo::insnOffset, f)) {
                core.add(new ProgramSpec.CoreRelocation(moved(cr.insnOffset(), f, base), cr.kind(), cr.type(),
                        cr.accessString()));
            }
        }
        lines.sort(Comparator.comparingInt(ProgramSpec.SourceLine::slot));
        core.sort(Comparator.comparingInt(ProgramSpec.CoreRelocation::slot));
        return new ForProgram(functions, lines, core);
    }

    /** The records of {@code section} whose offsets fall inside {@code f}, found by binary search. */
    private static <T> List<T> within(Map<String, List<T>> index, String section, ToLongFunction<T> offset,
                                      CodeIndex.Function f) {
        List<T> records = index.getOrDefault(section, List.of());
        int from = firstAtOrAfter(records, offset, (long) f.start() * Instruction.SIZE);
        int to = firstAtOrAfter(records, offset, (long) f.end() * Instruction.SIZE);
        return records.subList(from, to);
    }

    private static <T> int firstAtOrAfter(List<T> sorted, ToLongFunction<T> offset, long value) {
        int low = 0;
        int high = sorted.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (offset.applyAsLong(sorted.get(mid)) < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int moved(long byteOffset, CodeIndex.Function f, int base) {
        return base + (int) slotOf(byteOffset) - f.start();
    }

    private static long slotOf(long byteOffset) {
        return byteOffset / Instruction.SIZE;
    }
}
