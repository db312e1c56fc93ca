package org.ebpf4j.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapSpec;

/**
 * The value of a collection's {@code .kconfig} map: each {@code extern ... __kconfig} at the offset the spec gives,
 * from (first match wins) the caller's overrides, {@code LINUX_KERNEL_VERSION} of the running kernel, or the
 * kernel configuration. Tristates read as libbpf's {@code enum libbpf_tristate}: y 1, n 0, m 2. A weak extern found
 * nowhere is 0; a strong one is an error, as in libbpf.
 */
final class KconfigValues {
    private static final String KERNEL_VERSION = "LINUX_KERNEL_VERSION";

    private KconfigValues() {}

    static byte[] of(CollectionSpec collection, MapSpec kconfig, Map<String, Long> overrides,
                     KernelConfig config, String release) {
        ByteBuffer value = ByteBuffer.allocate(kconfig.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (KconfigExtern extern : collection.kconfigExterns()) {
            String name = extern.name();
            if (overrides.containsKey(name)) {
                extern.writeNumber(value, overrides.get(name));
            } else if (name.equals(KERNEL_VERSION)) {
                extern.writeNumber(value, RunningKernel.versionCode(release));
            } else if (config.value(name).isPresent()) {
                putConfigValue(value, extern, config.value(name).get());
            } else if (!extern.weak()) {
                throw new BpfException(collection.name() + ": extern '" + name + "' (__kconfig, not __weak) has no"
                        + " value: the kernel configuration does not set it, and LoadOptions.kconfig does not either");
            }
        }
        return value.array();
    }

    private static void putConfigValue(ByteBuffer value, KconfigExtern extern, String raw) {
        switch (raw) {
            case "y" -> extern.writeNumber(value, 1);
            case "n" -> extern.writeNumber(value, 0);
            case "m" -> extern.writeNumber(value, 2);
            default -> {
                if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
                    // A char array extern: the string, cut to leave its NUL.
                    byte[] text = raw.substring(1, raw.length() - 1).getBytes(StandardCharsets.UTF_8);
                    value.put(extern.offset(), text, 0, Math.min(text.length, extern.size() - 1));
                } else {
                    extern.writeNumber(value, parseNumber(extern.name(), raw));
                }
            }
        }
    }

    private static long parseNumber(String name, String raw) {
        try {
            return raw.startsWith("0x") || raw.startsWith("0X") ? Long.parseUnsignedLong(raw.substring(2), 16)
                    : Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new BpfException("kernel configuration value " + name + "=" + raw + " is not a number, a"
                    + " tristate or a string");
        }
    }

}
