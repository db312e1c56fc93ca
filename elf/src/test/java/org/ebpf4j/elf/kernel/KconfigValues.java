package org.ebpf4j.elf.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.btf.BtfType;
import org.ebpf4j.btf.DatasecVar;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;

/**
 * The value of a {@code .kconfig} map: every {@code extern ... __kconfig} the object declares, with a plausible
 * value for this machine, laid out as the loader documents it (declaration order, each extern at the next offset
 * aligned to its size, at most 8). A backend has to repeat that rule, since the map spec carries no offsets.
 */
final class KconfigValues {
    /**
     * Values for the externs the fixtures declare. {@code CONFIG_BPF_SYSCALL}: the tests only run where bpf()
     * works. {@code CONFIG_HZ}: any common value serves, the verifier does not care.
     */
    private static final Map<String, Long> KNOWN = Map.of(
            "LINUX_KERNEL_VERSION", (long) linuxKernelVersion(System.getProperty("os.version")),
            "CONFIG_BPF_SYSCALL", 1L,
            "CONFIG_HZ", 250L);

    private KconfigValues() {}

    /** Where one extern lives in the {@code .kconfig} value. */
    record Slot(String name, int offset, int size) {}

    /** The externs of the object's {@code .kconfig} DATASEC, in declaration order, at the loader's offsets. */
    static List<Slot> layout(CollectionSpec collection) {
        Btf btf = collection.btf().orElseThrow(() -> new IllegalStateException(
                collection.name() + " has a .kconfig map but no BTF describing its externs"));
        int datasec = btf.typeId(".kconfig", BtfKind.DATASEC).orElseThrow();
        List<Slot> slots = new ArrayList<>();
        long offset = 0;
        for (DatasecVar v : ((BtfType.Datasec) btf.type(datasec)).vars()) {
            if (!(btf.type(v.type()) instanceof BtfType.Var var)) {
                continue;
            }
            int size = (int) btf.sizeOf(var.type());
            long align = Math.min(8, Long.highestOneBit(Math.max(1, size)));
            offset = (offset + align - 1) / align * align;
            slots.add(new Slot(var.name(), (int) offset, size));
            offset += size;
        }
        return slots;
    }

    static byte[] valueOf(CollectionSpec collection, MapSpec kconfig) {
        ByteBuffer value = ByteBuffer.allocate(kconfig.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (Slot slot : layout(collection)) {
            Long known = KNOWN.get(slot.name());
            if (known == null) {
                throw new IllegalStateException(collection.name() + " declares kconfig extern " + slot.name()
                        + ", which this test has no value for: add a plausible one to KconfigValues");
            }
            put(value, slot.offset(), slot.size(), known);
        }
        return value.array();
    }

    private static void put(ByteBuffer value, int offset, int size, long v) {
        switch (size) {
            case 1 -> value.put(offset, (byte) v);
            case 2 -> value.putShort(offset, (short) v);
            case 4 -> value.putInt(offset, (int) v);
            case 8 -> value.putLong(offset, v);
            default -> throw new IllegalStateException("kconfig extern of " + size + " bytes");
        }
    }

    /** {@code KERNEL_VERSION(a, b, c)} of a release like {@code 6.18.44-fc}: the patch level saturates at 255. */
    static int linuxKernelVersion(String release) {
        var m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?").matcher(release);
        if (!m.find()) {
            throw new IllegalStateException("kernel release '" + release + "' does not start with a version");
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return Integer.parseInt(m.group(1)) << 16 | Integer.parseInt(m.group(2)) << 8 | Math.min(patch, 255);
    }
}
