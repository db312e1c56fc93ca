package org.ebpf4j.cli;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.spec.MapType;

/**
 * A map's contents as {@code bpftool map dump} prints them: {@code key: .. value: ..} lines (one value per CPU for
 * per-CPU maps) and {@code Found N elements}; as JSON, bpftool's {@code {"key": ["0x00", ...], "value": [...]}}
 * objects. With the map's BTF types, text shows keys and values formatted ({@link BtfValues}) and JSON adds them
 * under {@code "formatted"}, as bpftool does; without, text shows hex bytes. Maps without keys (queues, stacks, ring
 * buffers, bloom filters) are listed without contents: reading them would change them, or they cannot be read.
 */
final class MapDump {
    /** How to format a map's keys and values through BTF; type id 0 leaves that side in hex. */
    record Types(BtfValues values, int keyType, int valueType) {
        static final Types NONE = new Types(null, 0, 0);

        static Types of(org.ebpf4j.spec.CollectionSpec spec, GlobalDataLayout layout, String map) {
            org.ebpf4j.spec.MapSpec m = spec.maps().get(map);
            if (m == null || spec.btf().isEmpty()) {
                return NONE;
            }
            return new Types(new BtfValues(spec.btf().get(), spec.byteOrder(), layout), m.btfKeyTypeId(),
                    m.btfValueTypeId());
        }

        String key(byte[] key) {
            return keyType == 0 ? hex(key) : BtfValues.text(values.read(keyType, key));
        }

        String value(byte[] value) {
            return valueType == 0 ? hex(value) : BtfValues.text(values.read(valueType, value));
        }

        boolean any() {
            return keyType != 0 || valueType != 0;
        }
    }

    private MapDump() {}

    /** Whether the map can be dumped by walking its keys. */
    static boolean iterable(BpfMap map) {
        return map.keySize() > 0 && map.type() != MapType.BLOOM_FILTER;
    }

    static boolean perCpu(BpfMap map) {
        return map.type().name().startsWith("PERCPU_") || map.type() == MapType.LRU_PERCPU_HASH;
    }

    static String header(BpfMap map) {
        return map.name() + ": " + map.type() + ", key " + map.keySize() + " B, value " + map.valueSize()
                + " B, max_entries " + map.maxEntries();
    }

    static String text(BpfMap map) {
        return text(map, Types.NONE);
    }

    static String text(BpfMap map, Types types) {
        StringBuilder out = new StringBuilder(header(map)).append('\n');
        if (!iterable(map)) {
            return out.append("(").append(map.type()).append(" maps are not dumped)\n").toString();
        }
        int n = 0;
        for (byte[] key : map.keys()) {
            if (perCpu(map)) {
                Optional<List<byte[]>> values = map.lookupPerCpu(key);
                if (values.isEmpty()) {
                    continue; // deleted while we walked
                }
                out.append("key: ").append(types.key(key)).append('\n');
                for (int cpu = 0; cpu < values.get().size(); cpu++) {
                    out.append(String.format("value (CPU %02d): %s%n", cpu, types.value(values.get().get(cpu))));
                }
            } else {
                Optional<byte[]> value = map.lookup(key);
                if (value.isEmpty()) {
                    continue;
                }
                out.append("key: ").append(types.key(key)).append("  value: ").append(types.value(value.get()))
                        .append('\n');
            }
            n++;
        }
        return out.append("Found ").append(n).append(n == 1 ? " element\n" : " elements\n").toString();
    }

    static Map<String, Object> json(BpfMap map, Types types) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", map.name());
        m.put("type", map.type().toString());
        m.put("key_size", map.keySize());
        m.put("value_size", map.valueSize());
        m.put("max_entries", map.maxEntries());
        if (!iterable(map)) {
            m.put("entries", null);
            return m;
        }
        List<Object> entries = new ArrayList<>();
        for (byte[] key : map.keys()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", bytes(key));
            if (perCpu(map)) {
                Optional<List<byte[]>> values = map.lookupPerCpu(key);
                if (values.isEmpty()) {
                    continue;
                }
                List<Object> cpus = new ArrayList<>();
                for (int cpu = 0; cpu < values.get().size(); cpu++) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("cpu", cpu);
                    c.put("value", bytes(values.get().get(cpu)));
                    cpus.add(c);
                }
                e.put("values", cpus);
                if (types.any()) {
                    List<Object> formatted = new ArrayList<>();
                    for (byte[] v : values.get()) {
                        formatted.add(types.valueType == 0 ? null : types.values.read(types.valueType, v));
                    }
                    e.put("formatted", formatted(types, key, formatted));
                }
            } else {
                Optional<byte[]> value = map.lookup(key);
                if (value.isEmpty()) {
                    continue;
                }
                e.put("value", bytes(value.get()));
                if (types.any()) {
                    e.put("formatted", formatted(types, key,
                            types.valueType == 0 ? null : types.values.read(types.valueType, value.get())));
                }
            }
            entries.add(e);
        }
        m.put("entries", entries);
        return m;
    }

    private static Map<String, Object> formatted(Types types, byte[] key, Object value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("key", types.keyType == 0 ? null : types.values.read(types.keyType, key));
        f.put("value", value);
        return f;
    }

    private static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static List<Object> bytes(byte[] bytes) {
        List<Object> out = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            out.add(String.format("0x%02x", b));
        }
        return out;
    }
}
