package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ebpf4j.linux.KernelMapInfo;
import org.ebpf4j.linux.KernelObjects;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxMap;
import org.ebpf4j.spec.MapType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ebpf4j map list|show [ID]|dump ID}: the kernel's maps, as {@code bpftool map} shows them. */
@Command(name = "map", description = "Maps in the kernel (like bpftool map).",
        subcommands = {MapCommand.Show.class, MapCommand.ListMaps.class, MapCommand.Dump.class})
final class MapCommand {

    @Command(name = "show", description = "Every map, or the one with ID, as bpftool map show.")
    static class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "0..1", description = "A map id (default: all).")
        Integer id;

        @Option(names = {"-j", "--json"}, description = "JSON output.")
        boolean json;

        @Override
        public Integer call() {
            LinuxBackend.open();
            KernelListing.show(KernelListing.MAPS, id, json, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "list", description = "The same as show.")
    static final class ListMaps extends Show {
    }

    /**
     * Every element as bpftool dumps it: described by the map's BTF types when it has them, else in hex; JSON
     * gives the hex bytes of every map.
     */
    @Command(name = "dump", description = "Every key and value of the map with ID (like bpftool map dump).")
    static final class Dump implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "A map id.")
        int id;

        @Option(names = {"-j", "--json"}, description = "JSON output.")
        boolean json;

        @Override
        public Integer call() {
            LinuxBackend.open();
            try (LinuxMap map = KernelObjects.openMap(id)) {
                if (map.keySize() == 0 || map.type() == MapType.RINGBUF) {
                    throw new CliException("map id " + id + " (" + KernelListing.name(map.type().name())
                            + ") has no keys to dump");
                }
                boolean perCpu = map.type().name().contains("PERCPU");
                KernelMapInfo info = map.info();
                if (!json && info.btfId() != 0 && info.btfValueTypeId() != 0) {
                    var out = spec.commandLine().getOut();
                    out.print(btfText(map, info, perCpu));
                    out.flush();
                    return 0;
                }
                List<Object> entries = new ArrayList<>();
                StringBuilder text = new StringBuilder();
                int count = 0;
                for (byte[] key : map.keys()) {
                    if (perCpu) {
                        Optional<List<byte[]>> values = map.lookupPerCpu(key);
                        if (values.isEmpty()) {
                            continue;
                        }
                        text.append(perCpuText(map, key, values.get()));
                        entries.add(perCpuJson(key, values.get()));
                    } else {
                        Optional<byte[]> value = map.lookup(key);
                        if (value.isEmpty()) {
                            continue; // deleted while dumping
                        }
                        text.append(entryText(map, key, value.get()));
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("key", hexList(key));
                        e.put("value", hexList(value.get()));
                        entries.add(e);
                    }
                    count++;
                }
                text.append("Found ").append(count).append(" element").append(count != 1 ? "s" : "").append('\n');
                var out = spec.commandLine().getOut();
                out.print(json ? Json.write(entries) : text);
                out.flush();
            }
            return 0;
        }

        /** The elements described by their BTF types: an array of {key, value} objects, as bpftool's. */
        private static String btfText(LinuxMap map, KernelMapInfo info, boolean perCpu) {
            BtfValueText text = new BtfValueText(KernelObjects.btf(info.btfId()));
            text.startArray();
            for (byte[] key : map.keys()) {
                Optional<byte[]> value = perCpu ? Optional.empty() : map.lookup(key);
                Optional<List<byte[]>> values = perCpu ? map.lookupPerCpu(key) : Optional.empty();
                if (value.isEmpty() && values.isEmpty()) {
                    continue; // deleted while dumping
                }
                text.startObject();
                if (info.btfKeyTypeId() != 0) {
                    text.name("key");
                    text.value(info.btfKeyTypeId(), java.nio.ByteBuffer.wrap(key));
                }
                if (value.isPresent()) {
                    text.name("value");
                    text.value(info.btfValueTypeId(), java.nio.ByteBuffer.wrap(value.get()));
                } else {
                    text.name("values");
                    text.startArray();
                    for (int cpu = 0; cpu < values.get().size(); cpu++) {
                        text.startObject();
                        text.name("cpu");
                        text.number(cpu);
                        text.name("value");
                        text.value(info.btfValueTypeId(), java.nio.ByteBuffer.wrap(values.get().get(cpu)));
                        text.endObject();
                    }
                    text.endArray();
                }
                text.endObject();
            }
            text.endArray();
            return text.finish();
        }

        /** bpftool's plain entry: key and value on one line when both are short, else on lines of their own. */
        private static String entryText(LinuxMap map, byte[] key, byte[] value) {
            boolean breakNames = map.keySize() > 16 || map.valueSize() > 16;
            boolean singleLine = map.keySize() + map.valueSize() <= 24 && !breakNames;
            return "key:" + (breakNames ? '\n' : ' ') + hex(key) + (singleLine ? "  " : "\n")
                    + "value:" + (breakNames ? '\n' : ' ') + hex(value) + "\n";
        }

        private static String perCpuText(LinuxMap map, byte[] key, List<byte[]> values) {
            StringBuilder out = new StringBuilder("key:\n").append(hex(key)).append('\n');
            for (int cpu = 0; cpu < values.size(); cpu++) {
                out.append(String.format("value (CPU %02d):%c", cpu, map.valueSize() > 16 ? '\n' : ' '))
                        .append(hex(values.get(cpu))).append('\n');
            }
            return out.toString();
        }

        private static Map<String, Object> perCpuJson(byte[] key, List<byte[]> values) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", hexList(key));
            List<Object> perCpu = new ArrayList<>();
            for (int cpu = 0; cpu < values.size(); cpu++) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("cpu", cpu);
                v.put("value", hexList(values.get(cpu)));
                perCpu.add(v);
            }
            e.put("values", perCpu);
            return e;
        }
    }

    /** bpftool's {@code fprint_hex}: bytes separated by a space, groups of 8 by two, 16 to a line. */
    static String hex(byte[] data) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < data.length; i++) {
            if (i > 0) {
                out.append(i % 16 == 0 ? "\n" : i % 8 == 0 ? "  " : " ");
            }
            out.append(String.format("%02x", data[i] & 0xff));
        }
        return out.toString();
    }

    private static List<Object> hexList(byte[] data) {
        List<Object> out = new ArrayList<>();
        for (byte b : data) {
            out.add(String.format("0x%02x", b & 0xff));
        }
        return out;
    }
}
