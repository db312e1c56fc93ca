package org.ebpf4j.elf.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapSpec;

/**
 * The value of a {@code .kconfig} map: every {@code extern ... __kconfig} the object declares, with a plausible
 * value for this machine, at the offsets the collection spec gives.
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

    static byte[] valueOf(CollectionSpec collection, MapSpec kconfig) {
        ByteBuffer value = ByteBuffer.allocate(kconfig.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (KconfigExtern slot : collection.kconfigExterns()) {
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
