package org.ebpf4j.runtime.maps;

import java.util.Arrays;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;

/**
 * Every open map by id, so that a map handle ({@code lddw} with BPF_PSEUDO_MAP_FD, resolved at load) means the same
 * map on every thread. A handle is {@code MAP_HANDLE_REGION << 32 | id}: no region is mapped under that id, so a
 * program that dereferences a handle faults instead of reading anything.
 *
 * <p>Append-only like {@link org.ebpf4j.runtime.memory.SharedRegions}: ids are never reused, so a handle of a closed
 * map can only fail, never reach a newer map. Lookups are one volatile read and an array load.
 */
final class MapRegistry {
    private MapRegistry() {}

    private static final Object LOCK = new Object();
    private static volatile JvmMap[] table = new JvmMap[64];
    /** Ids start at 1: the kernel never gives a map id 0. */
    private static int next = 1;

    static int register(JvmMap map) {
        synchronized (LOCK) {
            if (next == Integer.MAX_VALUE) {
                throw new IllegalStateException("every map id has been used");
            }
            JvmMap[] t = table;
            if (next == t.length) {
                t = Arrays.copyOf(t, t.length * 2);
            }
            t[next] = map;
            table = t;
            return next++;
        }
    }

    static void release(int id) {
        synchronized (LOCK) {
            JvmMap[] t = table.clone();
            t[id] = null;
            table = t;
        }
    }

    /** The open map behind a handle; a {@link MemoryAccessException} when the value is none. */
    static JvmMap resolve(long handle) {
        if (Pointer.regionId(handle) == Pointer.MAP_HANDLE_REGION) {
            int id = Pointer.offset(handle);
            JvmMap[] t = table;
            if (id >= 0 && id < t.length && t[id] != null) {
                return t[id];
            }
        }
        throw new MemoryAccessException(Pointer.format(handle) + " is not the handle of an open map");
    }
}
