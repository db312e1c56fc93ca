package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.ebpf4j.linux.KernelMapInfo;
import org.ebpf4j.linux.KernelObjects;
import org.ebpf4j.linux.KernelProgramInfo;

/**
 * Kernel programs and maps as bpftool shows them ({@code bpftool prog show}, {@code bpftool map show}): the same
 * lines, fields and order in text, the same keys in JSON. Type names are libbpf's (the enum's name in lower case).
 */
final class KernelListing {
    /** bpftool's {@code %FT%T%z} in the machine's time zone. */
    private static final DateTimeFormatter LOADED_AT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx");

    private KernelListing() {}

    /**
     * One kind of kernel object as {@code show} lists it: how to walk its ids, read one, find its holders, and
     * print it as text or JSON.
     */
    record Kind<I>(String noun, Supplier<List<Integer>> ids, IntFunction<I> info, Function<Path, Integer> pinnedId,
                   IntFunction<List<KernelObjects.Holder>> holders,
                   BiFunction<I, List<KernelObjects.Holder>, String> text,
                   BiFunction<I, List<KernelObjects.Holder>, Map<String, Object>> json) {}

    static final Kind<KernelProgramInfo> PROGRAMS = new Kind<>("program", KernelObjects::programIds,
            KernelObjects::programInfo, KernelObjects::pinnedProgramId, KernelObjects::programHolders, KernelListing::programText,
            KernelListing::programJson);
    static final Kind<KernelMapInfo> MAPS = new Kind<>("map", KernelObjects::mapIds, KernelObjects::mapInfo,
            KernelObjects::pinnedMapId, KernelObjects::mapHolders, KernelListing::mapText, KernelListing::mapJson);

    /**
     * The object {@code show} names: {@code id N} (or a bare N) or {@code pinned PATH}, as bpftool takes them; null
     * when the words are at their end (every object).
     */
    static Integer requestedId(Kind<?> kind, Words words) {
        if (!words.hasNext()) {
            return null;
        }
        if (words.accept("pinned")) {
            Path path = Path.of(words.next("a pinned path"));
            words.expectEnd();
            try {
                return kind.pinnedId().apply(path);
            } catch (RuntimeException e) {
                throw new BpftoolError("open pinned " + kind.noun() + " " + path + ": " + e.getMessage());
            }
        }
        words.accept("id");
        int id = words.number(kind.noun() + " id");
        words.expectEnd();
        return id;
    }

    /**
     * {@code show [ID]}: every object of the kind, or the one with {@code id} (null for all). An object gone between
     * the listing and the look is skipped; a missing {@code id} is an error. JSON is a list, or one object for an id.
     */
    static <I> void show(Kind<I> kind, Integer id, boolean json, PrintWriter out) {
        List<Integer> ids = id != null ? List.of(id) : kind.ids().get();
        List<Object> all = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int objectId : ids) {
            I info;
            try {
                info = kind.info().apply(objectId);
            } catch (RuntimeException gone) {
                if (id != null) {
                    throw new CliException("no " + kind.noun() + " with id " + id + ": " + gone.getMessage());
                }
                continue;
            }
            List<KernelObjects.Holder> holders = kind.holders().apply(objectId);
            if (json) {
                all.add(kind.json().apply(info, holders));
            } else {
                text.append(kind.text().apply(info, holders));
            }
        }
        out.print(json ? Json.write(id != null && all.size() == 1 ? all.getFirst() : all) : text);
        out.flush();
    }

    static String programText(KernelProgramInfo p, List<KernelObjects.Holder> holders) {
        StringBuilder out = new StringBuilder();
        out.append(p.id()).append(": ").append(p.type().map(t -> name(t.name()) + "  ")
                .orElse("type " + p.typeNumber() + "  "));
        if (!p.name().isEmpty()) {
            out.append("name ").append(p.fullName()).append("  ");
        }
        out.append("tag ").append(p.tag());
        if (p.gplCompatible()) {
            out.append("  gpl");
        }
        if (p.runTimeNanos() != 0) {
            out.append(" run_time_ns ").append(p.runTimeNanos()).append(" run_cnt ").append(p.runCount());
        }
        if (p.recursionMisses() != 0) {
            out.append(" recursion_misses ").append(p.recursionMisses());
        }
        out.append('\n');
        if (p.loadTimeNanos() != 0) {
            out.append("\tloaded_at ").append(LOADED_AT.format(Instant.ofEpochSecond(
                    KernelObjects.loadedAtEpochSeconds(p)).atZone(ZoneId.systemDefault())))
                    .append("  uid ").append(p.createdByUid()).append('\n');
        }
        out.append("\txlated ").append(p.xlatedLength()).append('B');
        out.append(p.jitedLength() != 0 ? "  jited " + p.jitedLength() + "B" : "  not jited");
        if (p.memlock() >= 0) {
            out.append("  memlock ").append(p.memlock()).append('B');
        }
        if (!p.mapIds().isEmpty()) {
            out.append("  map_ids ").append(p.mapIds().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        if (p.btfId() != 0) {
            out.append("\n\tbtf_id ").append(p.btfId());
        }
        pids(out, holders);
        return out.append('\n').toString();
    }

    static Map<String, Object> programJson(KernelProgramInfo p, List<KernelObjects.Holder> holders) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("type", p.type().<Object>map(t -> name(t.name())).orElse(p.typeNumber()));
        if (!p.name().isEmpty()) {
            m.put("name", p.fullName());
        }
        m.put("tag", p.tag());
        m.put("gpl_compatible", p.gplCompatible());
        if (p.runTimeNanos() != 0) {
            m.put("run_time_ns", p.runTimeNanos());
            m.put("run_cnt", p.runCount());
        }
        if (p.recursionMisses() != 0) {
            m.put("recursion_misses", p.recursionMisses());
        }
        if (p.loadTimeNanos() != 0) {
            m.put("loaded_at", KernelObjects.loadedAtEpochSeconds(p));
            m.put("uid", p.createdByUid());
        }
        m.put("bytes_xlated", p.xlatedLength());
        m.put("jited", p.jitedLength() != 0);
        if (p.jitedLength() != 0) {
            m.put("bytes_jited", p.jitedLength());
        }
        if (p.memlock() >= 0) {
            m.put("bytes_memlock", p.memlock());
        }
        if (!p.mapIds().isEmpty()) {
            m.put("map_ids", p.mapIds());
        }
        if (p.btfId() != 0) {
            m.put("btf_id", p.btfId());
        }
        pidsJson(m, holders);
        return m;
    }

    static String mapText(KernelMapInfo m, List<KernelObjects.Holder> holders) {
        StringBuilder out = new StringBuilder();
        out.append(m.id()).append(": ").append(m.type().map(t -> name(t.name()) + "  ")
                .orElse("type " + m.typeNumber() + "  "));
        if (!m.name().isEmpty()) {
            out.append("name ").append(m.name()).append("  ");
        }
        out.append("flags 0x").append(Integer.toHexString(m.flags())).append('\n');
        out.append("\tkey ").append(m.keySize()).append("B  value ").append(m.valueSize()).append("B  max_entries ")
                .append(m.maxEntries());
        if (m.memlock() >= 0) {
            out.append("  memlock ").append(m.memlock()).append('B');
        }
        if (m.btfId() == 0 && m.frozen()) {
            out.append("\n\t");
        }
        if (m.btfId() != 0) {
            out.append("\n\tbtf_id ").append(m.btfId());
        }
        if (m.frozen()) {
            out.append(m.btfId() != 0 ? "  " : "").append("frozen");
        }
        pids(out, holders);
        return out.append('\n').toString();
    }

    static Map<String, Object> mapJson(KernelMapInfo m, List<KernelObjects.Holder> holders) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", m.id());
        j.put("type", m.type().<Object>map(t -> name(t.name())).orElse(m.typeNumber()));
        if (!m.name().isEmpty()) {
            j.put("name", m.name());
        }
        j.put("flags", m.flags());
        j.put("bytes_key", m.keySize());
        j.put("bytes_value", m.valueSize());
        j.put("max_entries", m.maxEntries());
        if (m.memlock() >= 0) {
            j.put("bytes_memlock", m.memlock());
        }
        j.put("frozen", m.frozen() ? 1 : 0);
        if (m.btfId() != 0) {
            j.put("btf_id", m.btfId());
        }
        pidsJson(j, holders);
        return j;
    }

    /** libbpf's type names: the enum constant's name in lower case ({@code sched_cls}, {@code percpu_array}). */
    static String name(String enumName) {
        return enumName.toLowerCase(Locale.ROOT);
    }

    private static void pids(StringBuilder out, List<KernelObjects.Holder> holders) {
        if (!holders.isEmpty()) {
            out.append("\n\tpids ").append(holders.stream().map(h -> h.command() + "(" + h.pid() + ")")
                    .collect(Collectors.joining(", ")));
        }
    }

    private static void pidsJson(Map<String, Object> m, List<KernelObjects.Holder> holders) {
        if (!holders.isEmpty()) {
            m.put("pids", holders.stream().<Object>map(h -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("pid", h.pid());
                e.put("comm", h.command());
                return e;
            }).toList());
        }
    }
}
