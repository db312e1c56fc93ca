package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Program;
import org.ebpf4j.linux.LinuxProgram;
import org.ebpf4j.runtime.backend.JvmProgram;

/**
 * {@code map show} and {@code prog show} for the collections a batch script loaded: each object named
 * {@code NAME/OBJECT} and then listed as bpftool lists kernel objects ({@link KernelListing}); a kernel object
 * with its kernel listing, a JVM map with the same fields (no id, memlock or BTF: the JVM has none of those), a
 * JVM program with its type, name, engine and size.
 */
final class ObjectListings {
    private ObjectListings() {}

    /** Every map of every loaded collection, or the one {@code reference} names. */
    static void maps(Session session, String reference, boolean json, PrintWriter out) {
        List<Object> all = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Session.Loaded l : session.loaded()) {
            for (BpfMap map : l.collection().maps().values()) {
                String label = l.name() + "/" + map.name();
                if (reference != null && !reference.equals(label)) {
                    continue;
                }
                var info = MapCommand.info(map);
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ref", label);
                    m.put("backend", l.kernel() ? "kernel" : "jvm");
                    Map<String, Object> fields = KernelListing.mapJson(info, List.of());
                    if (!l.kernel()) {
                        fields.remove("id");
                    }
                    m.putAll(fields);
                    all.add(m);
                } else {
                    text.append(label).append(l.kernel() ? "  " : ": ")
                            .append(labelled(KernelListing.mapText(info, List.of()), l.kernel()));
                }
            }
        }
        print(session, reference, "map", json, out, all, text);
    }

    /** Every program of every loaded collection, or the one {@code reference} names. */
    static void programs(Session session, String reference, boolean json, PrintWriter out) {
        List<Object> all = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Session.Loaded l : session.loaded()) {
            for (Program p : l.collection().programs().values()) {
                String label = l.name() + "/" + p.name();
                if (reference != null && !reference.equals(label)) {
                    continue;
                }
                if (p instanceof LinuxProgram kernel) {
                    var info = kernel.info();
                    if (json) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("ref", label);
                        m.put("backend", "kernel");
                        m.putAll(KernelListing.programJson(info, List.of()));
                        all.add(m);
                    } else {
                        text.append(label).append("  ").append(KernelListing.programText(info, List.of()));
                    }
                    continue;
                }
                int xlated = p.spec().instructions().size() * 8;
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ref", label);
                    m.put("backend", "jvm");
                    m.put("type", KernelListing.name(p.type().name()));
                    m.put("name", p.name());
                    m.put("engine", l.where());
                    m.put("bytes_xlated", xlated);
                    m.put("map_names", List.copyOf(l.collection().maps().keySet()));
                    all.add(m);
                } else {
                    text.append(label).append(": ").append(KernelListing.name(p.type().name())).append("  name ")
                            .append(p.name()).append("  ").append(p instanceof JvmProgram ? l.where() : p.toString())
                            .append("\n\txlated ").append(xlated).append("B\n");
                }
            }
        }
        print(session, reference, "program", json, out, all, text);
    }

    /** A kernel listing keeps its "ID: " start; a JVM one has no id, so its label replaces it. */
    private static String labelled(String listing, boolean kernel) {
        return kernel ? listing : listing.substring(listing.indexOf(": ") + 2);
    }

    private static void print(Session session, String reference, String noun, boolean json, PrintWriter out,
                              List<Object> all, StringBuilder text) {
        if (reference != null && all.isEmpty() && text.isEmpty()) {
            String[] parts = reference.split("/", 2);
            session.collection(parts[0]);
            throw new BpftoolError("no " + noun + " '" + (parts.length > 1 ? parts[1] : "") + "' in " + parts[0]);
        }
        out.print(json ? Json.write(reference != null && all.size() == 1 ? all.getFirst() : all) : text);
        out.flush();
    }
}
