package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.HelperFunction.*;

import org.ebpf4j.runtime.helpers.HelperRegistry;

/**
 * The map helpers under the kernel's ids. The first argument is a map handle (what {@code lddw rX, map} holds after
 * loading, {@link JvmMap#handle()}); keys and values are BPF pointers. Results are the kernel's: a value pointer or
 * NULL for lookups, 0 or {@code -errno} for the rest. A first argument that is no open map's handle stops the
 * program with a fault (the kernel's verifier makes that impossible).
 */
public final class MapHelpers {
    private MapHelpers() {}

    /** {@code helpers} with the map helpers and {@code bpf_get_smp_processor_id} added. */
    public static HelperRegistry register(HelperRegistry helpers) {
        return helpers
                .with(MAP_LOOKUP_ELEM.value(), MAP_LOOKUP_ELEM.kernelName(),
                        (c, map, key, r3, r4, r5) -> JvmMap.ofHandle(map).lookup(c, key))
                .with(MAP_UPDATE_ELEM.value(), MAP_UPDATE_ELEM.kernelName(),
                        (c, map, key, value, flags, r5) -> JvmMap.ofHandle(map).update(c, key, value, flags))
                .with(MAP_DELETE_ELEM.value(), MAP_DELETE_ELEM.kernelName(),
                        (c, map, key, r3, r4, r5) -> JvmMap.ofHandle(map).delete(c, key))
                .with(MAP_PUSH_ELEM.value(), MAP_PUSH_ELEM.kernelName(),
                        (c, map, value, flags, r4, r5) -> JvmMap.ofHandle(map).push(c, value, flags))
                .with(MAP_POP_ELEM.value(), MAP_POP_ELEM.kernelName(),
                        (c, map, value, r3, r4, r5) -> JvmMap.ofHandle(map).pop(c, value))
                .with(MAP_PEEK_ELEM.value(), MAP_PEEK_ELEM.kernelName(),
                        (c, map, value, r3, r4, r5) -> JvmMap.ofHandle(map).peek(c, value))
                .with(GET_SMP_PROCESSOR_ID.value(), GET_SMP_PROCESSOR_ID.kernelName(),
                        (c, r1, r2, r3, r4, r5) -> c.cpu());
    }

    /** A registry with only the map helpers. */
    public static HelperRegistry registry() {
        return register(HelperRegistry.empty());
    }
}
