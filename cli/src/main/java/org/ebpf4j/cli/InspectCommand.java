package org.ebpf4j.cli;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KernelEnum;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "inspect", aliases = "show", description = {
        "Shows what an ELF object asks to load: programs (name, section, type, size, maps used), maps (type,",
        "sizes, flags, origin), global data and a BTF summary."})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.o", description = "A clang-compiled BPF object.")
    Path file;

    @Option(names = {"-j", "--json"}, description = "JSON output.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CollectionSpec collection = ObjectLoader.load(file);
        Map<String, Object> model = model(collection);
        spec.commandLine().getOut().print(json ? Json.write(model) : text(model));
        spec.commandLine().getOut().flush();
        return 0;
    }

    static Map<String, Object> model(CollectionSpec c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("object", c.name());
        out.put("byte_order", c.byteOrder() == ByteOrder.LITTLE_ENDIAN ? "little" : "big");
        ProgramSpec first = c.programs().values().stream().findFirst().orElse(null);
        out.put("license", first == null ? "" : first.license());
        out.put("kernel_version", first == null ? 0 : first.kernelVersion());
        List<Object> programs = new ArrayList<>();
        for (ProgramSpec p : c.programs().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("section", p.sectionName());
            m.put("type", name(p.type()));
            m.put("expected_attach_type", p.expectedAttachType().map(InspectCommand::name).orElse(null));
            m.put("instructions", p.instructions().slotCount());
            m.put("functions", p.functions().stream().map(ProgramSpec.FunctionStart::name).toList());
            m.put("maps", p.mapReferences().stream().map(ProgramSpec.MapReference::mapName).distinct().toList());
            programs.add(m);
        }
        out.put("programs", programs);
        out.put("maps", c.maps().values().stream().map(InspectCommand::map).toList());
        Map<String, Object> btf = new LinkedHashMap<>();
        c.btf().ifPresent(b -> btf.put("types", b.lastTypeId()));
        out.put("btf", c.btf().isPresent() ? btf : null);
        return out;
    }

    private static Map<String, Object> map(MapSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("type", name(s.type()));
        m.put("key_size", s.keySize());
        m.put("value_size", s.valueSize());
        m.put("max_entries", s.maxEntries());
        m.put("flags", s.flags());
        m.put("origin", s.origin().name().toLowerCase());
        m.put("pinning", name(s.pinning()));
        m.put("frozen", s.frozen());
        m.put("initial_entries", s.contents().size());
        m.put("inner_map", s.innerMap().map(InspectCommand::map).orElse(null));
        return m;
    }

    /** bpftool's spelling: the kernel name without its prefix, lower case ({@code xdp}, {@code percpu_hash}). */
    private static String name(KernelEnum e) {
        String k = e.kernelName();
        for (String prefix : List.of("BPF_PROG_TYPE_", "BPF_MAP_TYPE_", "LIBBPF_PIN_", "BPF_")) {
            if (k.startsWith(prefix)) {
                return k.substring(prefix.length()).toLowerCase();
            }
        }
        return k.toLowerCase();
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> model) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("object %s (%s endian, license \"%s\", kernel version %s)%n", model.get("object"),
                model.get("byte_order"), model.get("license"), model.get("kernel_version")));
        var programs = new Table("NAME", "SECTION", "TYPE", "INSNS", "FUNCTIONS", "MAPS");
        for (Object o : (List<Object>) model.get("programs")) {
            var p = (Map<String, Object>) o;
            programs.row(p.get("name"), p.get("section"), p.get("type"), p.get("instructions"),
                    String.join(",", (List<String>) p.get("functions")), String.join(",", (List<String>) p.get("maps")));
        }
        out.append("\nprograms:\n").append(programs);
        var maps = new Table("NAME", "TYPE", "KEY", "VALUE", "MAX", "FLAGS", "ORIGIN", "NOTES");
        for (Object o : (List<Object>) model.get("maps")) {
            var m = (Map<String, Object>) o;
            List<String> notes = new ArrayList<>();
            if ((Boolean) m.get("frozen")) {
                notes.add("frozen");
            }
            if (!"none".equals(m.get("pinning"))) {
                notes.add("pinned " + m.get("pinning"));
            }
            if (m.get("inner_map") instanceof Map<?, ?> inner) {
                notes.add("inner " + inner.get("type") + " " + inner.get("key_size") + "/" + inner.get("value_size"));
            }
            if ((Integer) m.get("initial_entries") > 0) {
                notes.add(m.get("initial_entries") + " initial entries");
            }
            maps.row(m.get("name"), m.get("type"), m.get("key_size"), m.get("value_size"), m.get("max_entries"),
                    "0x" + Integer.toHexString((Integer) m.get("flags")), m.get("origin"), String.join(", ", notes));
        }
        out.append("\nmaps:\n").append(maps);
        out.append("\nbtf: ").append(model.get("btf") instanceof Map<?, ?> b ? b.get("types") + " types" : "none")
                .append('\n');
        return out.toString();
    }
}
