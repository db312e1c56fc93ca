package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.HelperFunction.*;

import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.TailCalls;
import org.ebpf4j.runtime.helpers.Callback;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.ProgramType;

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

    /**
     * {@code long bpf_for_each_map_elem(map, callback_fn, callback_ctx, u64 flags)}: -EINVAL for any flag, else the
     * elements visited ({@link JvmMap#forEachElement}). Dispatched by the engines, which supply the callback.
     */
    public static long forEachElement(HelperContext context, long map, long callbackContext, long flags,
                                      Callback callback) {
        JvmMap m = JvmMap.ofHandle(map);
        if (flags != 0) {
            return Errno.EINVAL.negated();
        }
        return m.forEachElement(context, callback, callbackContext);
    }

    /**
     * {@code bpf_tail_call}'s lookup: the program in slot {@code index} of the prog array {@code map}, or null when
     * the call falls through (index past the end, {@link TailCalls#MAX_TAIL_CALLS} reached, empty slot). A
     * {@code map} that is no prog array faults (the kernel's verifier refuses it).
     */
    public static Executable tailCallTarget(Invocation invocation, long map, long index) {
        if (!(JvmMap.ofHandle(map) instanceof ProgArrayMap array)) {
            throw new MemoryAccessException("bpf_tail_call through " + JvmMap.ofHandle(map)
                    + ", which is no prog array");
        }
        return array.tailCallTarget(invocation, index);
    }

    /**
     * Claims a prog array for the programs of {@code type} (the kernel's owner type): false when it serves another
     * type already. Loaders call it for each program that refers to the array.
     */
    public static boolean claimProgArray(JvmMap map, ProgramType type) {
        return !(map instanceof ProgArrayMap array) || array.claim(type);
    }

    /** A registry with only the map helpers. */
    public static HelperRegistry registry() {
        return register(HelperRegistry.empty());
    }
}
