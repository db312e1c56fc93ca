package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;
import org.ebpf4j.pcap.Capture;
import java.util.function.Function;

/**
 * What {@code run FILE.o --pcap} prints: the packets run, refused and skipped, the count of each action (return
 * value), the {@code trace_printk} lines, and every map's contents after the last packet. The text form groups
 * identical trace lines (with their count and first packet); the JSON form lists each line with its packet.
 */
final class CaptureReport {
    private CaptureReport() {}

    /** Why a kernel run has no {@code trace_printk} lines to show. */
    static final String TRACE_NOT_COLLECTED = "not collected on the kernel backend (the kernel writes them to"
            + " tracefs's trace_pipe, not to this process)";

    /** @param traceCollected false when the backend's {@code trace_printk} output does not reach this process */
    static String text(Capture capture, Program program, String backend, CaptureRun.Result r, boolean traceCollected,
                       Collection loaded, Function<String, MapDump.Types> types) {
        StringBuilder out = new StringBuilder();
        out.append(program.name()).append(" (").append(program.type()).append(") over ").append(capture.name())
                .append(" (").append(capture.format().name().toLowerCase()).append(", ").append(r.packets())
                .append(" packets) on ").append(backend).append('\n');
        out.append(r.ran()).append(" run");
        if (!r.refused().isEmpty()) {
            out.append(", ").append(r.refused().size()).append(" refused by the test run ")
                    .append(sample(r.refused()));
        }
        if (!r.skipped().isEmpty()) {
            out.append(", ").append(r.skipped().size()).append(" skipped ").append(sample(r.skipped()));
        }
        out.append("\n\nActions:\n");
        CaptureRun.actions(program.type(), r).forEach((action, n) ->
                out.append(String.format("  %-14s %8d%n", action, n)));
        if (traceCollected) {
            trace(r, out);
        } else {
            out.append("\ntrace_printk: ").append(TRACE_NOT_COLLECTED).append('\n');
        }
        out.append("\nMaps:\n");
        for (BpfMap map : loaded.maps().values()) {
            out.append(MapDump.text(map, types.apply(map.name()))).append('\n');
        }
        return out.toString();
    }

    private static void trace(CaptureRun.Result r, StringBuilder out) {
        out.append("\ntrace_printk: ").append(r.trace().size()).append(r.trace().size() == 1 ? " line" : " lines");
        Map<String, int[]> lines = new LinkedHashMap<>(); // line -> {count, first packet}
        for (CaptureRun.TraceLine t : r.trace()) {
            lines.computeIfAbsent(t.line(), k -> new int[] {0, t.packet()})[0]++;
        }
        out.append(lines.isEmpty() ? "\n" : ", " + lines.size() + " distinct (count, first packet, line):\n");
        lines.forEach((line, n) -> out.append(String.format("  %6d  #%-6d %s%n", n[0], n[1], line)));
    }

    /** Without {@code traceCollected}, "trace" is null and "trace_note" says why. */
    static Map<String, Object> json(Capture capture, Program program, String backend, CaptureRun.Result r,
                                    boolean traceCollected, Collection loaded, Function<String, MapDump.Types> types) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("program", program.name());
        m.put("type", program.type().toString());
        m.put("capture", capture.name());
        m.put("format", capture.format().name().toLowerCase());
        m.put("backend", backend);
        m.put("packets", r.packets());
        m.put("run", r.ran());
        m.put("refused", notRun(r.refused()));
        m.put("skipped", notRun(r.skipped()));
        m.put("actions", new LinkedHashMap<>(CaptureRun.actions(program.type(), r)));
        List<Object> trace = new ArrayList<>();
        for (CaptureRun.TraceLine t : r.trace()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("packet", t.packet());
            line.put("line", t.line());
            trace.add(line);
        }
        m.put("trace", traceCollected ? trace : null);
        if (!traceCollected) {
            m.put("trace_note", TRACE_NOT_COLLECTED);
        }
        List<Object> maps = new ArrayList<>();
        for (BpfMap map : loaded.maps().values()) {
            maps.add(MapDump.json(map, types.apply(map.name())));
        }
        m.put("maps", maps);
        return m;
    }

    /** "(packet 12: EINVAL (10 bytes); ...)" for the first few. */
    private static String sample(List<CaptureRun.NotRun> notRun) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < Math.min(3, notRun.size()); i++) {
            out.append(i == 0 ? "" : "; ").append("packet ").append(notRun.get(i).packet()).append(": ")
                    .append(notRun.get(i).reason());
        }
        return out.append(notRun.size() > 3 ? "; ...)" : ")").toString();
    }

    private static List<Object> notRun(List<CaptureRun.NotRun> notRun) {
        List<Object> out = new ArrayList<>();
        for (CaptureRun.NotRun n : notRun) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("packet", n.packet());
            m.put("reason", n.reason());
            out.add(m);
        }
        return out;
    }
}
