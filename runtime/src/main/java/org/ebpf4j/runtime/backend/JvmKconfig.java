package org.ebpf4j.runtime.backend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapSpec;

/**
 * The {@code .kconfig} map of a collection loaded into the JVM. There is no kernel configuration to read: values
 * come from {@link org.ebpf4j.api.LoadOptions#kconfig()}, {@code LINUX_KERNEL_VERSION} is the Linux release whose
 * semantics ebpf4j follows, weak externs found nowhere are 0 and strong ones are an error, as in libbpf.
 */
final class JvmKconfig {
    private JvmKconfig() {}

    static final String KERNEL_VERSION = "LINUX_KERNEL_VERSION";
    /** KERNEL_VERSION(6, 18, 0): ebpf4j's numbers and semantics are Linux 6.18's. */
    static final long FOLLOWED_KERNEL = (6 << 16) + (18 << 8);

    /** {@code kconfig} with its one value filled in. */
    static MapSpec filled(CollectionSpec collection, MapSpec kconfig, Map<String, Long> overrides) {
        ByteBuffer value = ByteBuffer.allocate(kconfig.valueSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (KconfigExtern extern : collection.kconfigExterns()) {
            Long v = overrides.get(extern.name());
            if (v == null && extern.name().equals(KERNEL_VERSION)) {
                v = FOLLOWED_KERNEL;
            }
            if (v == null && !extern.weak()) {
                throw new BpfException(collection.name() + ": extern '" + extern.name() + "' (__kconfig, not __weak)"
                        + " has no value: the JVM has no kernel configuration; set it in LoadOptions.kconfig");
            }
            extern.writeNumber(value, v == null ? 0 : v);
        }
        return kconfig.withContents(List.of(new MapSpec.MapEntry.Bytes(new byte[4], value.array())));
    }
}
