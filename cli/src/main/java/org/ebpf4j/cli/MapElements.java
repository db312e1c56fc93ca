package org.ebpf4j.cli;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.MapException;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.linux.KernelMapInfo;
import org.ebpf4j.linux.KernelObjects;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * A map's elements as bpftool prints them ({@code map dump}, {@code lookup}, {@code getnext}), for a map of either
 * backend: the same text and JSON whether the {@link BpfMap} is a kernel map or a JVM one. With the map's BTF types
 * the text describes keys and values through them ({@link BtfValueText}), as bpftool does; without, and in JSON,
 * bytes are hex.
 */
final class MapElements {
    /** Where a map's key and value types are: the BTF and the type ids (0: not described). */
    record Types(Btf btf, int keyType, int valueType) {
        static final Types NONE = new Types(null, 0, 0);

        /** A kernel map's types, from the BTF object the kernel holds for it. */
        static Types of(KernelMapInfo info) {
            return info.btfId() == 0 || info.btfValueTypeId() == 0 ? NONE
                    : new Types(KernelObjects.btf(info.btfId()), info.btfKeyTypeId(), info.btfValueTypeId());
        }

        /** A map of a loaded object, described by the object's BTF as the backend was given it. */
        static Types of(CollectionSpec spec, String map) {
            MapSpec m = spec.maps().get(map);
            return m == null || spec.btf().isEmpty() || m.btfValueTypeId() == 0 ? NONE
                    : new Types(spec.btf().get(), m.btfKeyTypeId(), m.btfValueTypeId());
        }

        boolean any() {
            return btf != null;
        }
    }

    private final BpfMap map;
    private final Types types;

    MapElements(BpfMap map, Types types) {
        this.map = map;
        this.types = types;
    }

    static boolean perCpu(BpfMap map) {
        return map.type().name().contains("PERCPU");
    }

    /** Every element: described through BTF when the map has types and the output is text, else hex. */
    String dump(boolean json) {
        if (map.keySize() == 0 || map.type() == MapType.RINGBUF) {
            throw new CliException(map.name() + " (" + KernelListing.name(map.type().name())
                    + ") has no keys to dump");
        }
        List<Element> elements = new ArrayList<>();
        for (byte[] key : map.keys()) {
            read(key).ifPresent(elements::add); // absent: deleted while dumping
        }
        if (json) {
            return Json.write(elements.stream().<Object>map(this::json).toList());
        }
        if (types.any()) {
            BtfValueText text = new BtfValueText(types.btf());
            text.startArray();
            elements.forEach(e -> btf(text, e));
            text.endArray();
            return text.finish();
        }
        StringBuilder text = new StringBuilder();
        elements.forEach(e -> text.append(text(e)));
        int n = elements.size();
        return text.append("Found ").append(n).append(" element").append(n != 1 ? "s" : "").append('\n').toString();
    }

    /** One element as {@code bpftool map lookup} prints it. */
    String lookup(Element e, boolean json) {
        if (json) {
            return Json.write(json(e));
        }
        if (types.any()) {
            BtfValueText text = new BtfValueText(types.btf());
            btf(text, e);
            return text.finish();
        }
        return text(e);
    }

    /** {@code bpftool map getnext}: the key given (or none) and the next one. */
    static String nextKey(byte[] key, byte[] next, boolean json) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", key == null ? null : hexList(key));
            m.put("next_key", hexList(next));
            return Json.write(m);
        }
        return (key == null ? "key: None\n" : "key:\n" + hex(key) + "\n") + "next key:\n" + hex(next) + "\n";
    }

    /** A key and its value, or its value on each CPU. */
    record Element(byte[] key, byte[] value, List<byte[]> perCpu) {}

    /** The element of {@code key} now, or empty when there is none. */
    Optional<Element> read(byte[] key) {
        return read(key, 0);
    }

    /** With lookup flags (BPF_F_LOCK) for maps that are not per-CPU. */
    Optional<Element> read(byte[] key, long flags) {
        if (perCpu(map)) {
            if (flags != 0) {
                // Per-CPU values never hold a bpf_spin_lock: the kernel's answer to BPF_F_LOCK (or other flags).
                throw new MapException(map.name(), "lookup", Errno.EINVAL);
            }
            return map.lookupPerCpu(key).map(values -> new Element(key, null, values));
        }
        return map.lookup(key, flags).map(value -> new Element(key, value, null));
    }

    private void btf(BtfValueText text, Element e) {
        text.startObject();
        if (types.keyType() != 0) {
            text.name("key");
            text.value(types.keyType(), ByteBuffer.wrap(e.key()));
        }
        if (e.value() != null) {
            text.name("value");
            text.value(types.valueType(), ByteBuffer.wrap(e.value()));
        } else {
            text.name("values");
            text.startArray();
            for (int cpu = 0; cpu < e.perCpu().size(); cpu++) {
                text.startObject();
                text.name("cpu");
                text.number(cpu);
                text.name("value");
                text.value(types.valueType(), ByteBuffer.wrap(e.perCpu().get(cpu)));
                text.endObject();
            }
            text.endArray();
        }
        text.endObject();
    }

    /** bpftool's plain entry: key and value on one line when both are short, else on lines of their own. */
    private String text(Element e) {
        if (e.value() == null) {
            StringBuilder out = new StringBuilder("key:\n").append(hex(e.key())).append('\n');
            for (int cpu = 0; cpu < e.perCpu().size(); cpu++) {
                out.append(String.format("value (CPU %02d):%c", cpu, map.valueSize() > 16 ? '\n' : ' '))
                        .append(hex(e.perCpu().get(cpu))).append('\n');
            }
            return out.toString();
        }
        boolean breakNames = map.keySize() > 16 || map.valueSize() > 16;
        boolean singleLine = map.keySize() + map.valueSize() <= 24 && !breakNames;
        return "key:" + (breakNames ? '\n' : ' ') + hex(e.key()) + (singleLine ? "  " : "\n")
                + "value:" + (breakNames ? '\n' : ' ') + hex(e.value()) + "\n";
    }

    private Map<String, Object> json(Element e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", hexList(e.key()));
        if (e.value() != null) {
            m.put("value", hexList(e.value()));
            return formatted(m, e);
        }
        List<Object> perCpu = new ArrayList<>();
        for (int cpu = 0; cpu < e.perCpu().size(); cpu++) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("cpu", cpu);
            v.put("value", hexList(e.perCpu().get(cpu)));
            perCpu.add(v);
        }
        m.put("values", perCpu);
        return formatted(m, e);
    }

    /** bpftool adds the element described through BTF, when the map has types. */
    private Map<String, Object> formatted(Map<String, Object> m, Element e) {
        if (types.any()) {
            BtfValueText text = new BtfValueText(types.btf());
            btf(text, e);
            m.put("formatted", new Json.Raw(text.finish()));
        }
        return m;
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

    static List<Object> hexList(byte[] data) {
        List<Object> out = new ArrayList<>();
        for (byte b : data) {
            out.add(String.format("0x%02x", b & 0xff));
        }
        return out;
    }
}
