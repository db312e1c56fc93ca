package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.ebpf4j.spec.MapType;

/**
 * The map commands of {@code bpf()}. Creation throws on failure; element operations return the errno (0 for
 * success), because ENOENT and friends are ordinary answers there and the caller decides what each one means.
 * Keys and values are native segments of exactly the sizes the map was created with, or {@code NULL} where the
 * command takes none (queues, stacks and bloom filters have no key).
 */
final class MapCommands {
    private MapCommands() {}

    /**
     * The attributes of {@code BPF_MAP_CREATE} this backend sets; {@code btfFd} 0 (with both type ids 0) for a map
     * without BTF.
     */
    record Definition(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                      int innerMapFd, int numaNode, long mapExtra, int btfFd, int btfKeyTypeId,
                      int btfValueTypeId) {
        Definition(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                   int innerMapFd, int numaNode, long mapExtra) {
            this(name, type, keySize, valueSize, maxEntries, flags, innerMapFd, numaNode, mapExtra, 0, 0, 0);
        }

        boolean hasBtf() {
            return btfFd != 0;
        }

        Definition withoutBtf() {
            return new Definition(name, type, keySize, valueSize, maxEntries, flags, innerMapFd, numaNode, mapExtra);
        }

        /** {@code map 'counts' (HASH)}: how errors name the map. */
        String describe() {
            return "map '" + name + "' (" + type + ")";
        }
    }

    static Fd create(Definition map) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.MAP_CREATE)
                    .u32("map_type", map.type().value())
                    .u32("key_size", map.keySize())
                    .u32("value_size", map.valueSize())
                    .u32("max_entries", map.maxEntries())
                    .u32("map_flags", map.flags())
                    .u32("inner_map_fd", map.innerMapFd())
                    .u32("numa_node", map.numaNode())
                    .objectName("map_name", map.name())
                    .u64("map_extra", map.mapExtra())
                    .u32("btf_fd", map.btfFd())
                    .u32("btf_key_type_id", map.btfKeyTypeId())
                    .u32("btf_value_type_id", map.btfValueTypeId());
            Syscalls.Result result = Syscalls.bpf(BpfCommand.MAP_CREATE, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.MAP_CREATE, map.describe(), result.errno());
            }
            return new Fd((int) result.value());
        }
    }

    static int lookup(Fd map, MemorySegment key, MemorySegment value, long flags) {
        return element(BpfCommand.MAP_LOOKUP_ELEM, map, key, value, flags);
    }

    static int update(Fd map, MemorySegment key, MemorySegment value, long flags) {
        return element(BpfCommand.MAP_UPDATE_ELEM, map, key, value, flags);
    }

    static int delete(Fd map, MemorySegment key) {
        return element(BpfCommand.MAP_DELETE_ELEM, map, key, MemorySegment.NULL, 0);
    }

    /** Writes the key after {@code key} (the first key for NULL) into {@code nextKey}. */
    static int nextKey(Fd map, MemorySegment key, MemorySegment nextKey) {
        return element(BpfCommand.MAP_GET_NEXT_KEY, map, key, nextKey, 0);
    }

    static int lookupAndDelete(Fd map, MemorySegment key, MemorySegment value) {
        return element(BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, map, key, value, 0);
    }

    static int freeze(Fd map) {
        return element(BpfCommand.MAP_FREEZE, map, MemorySegment.NULL, MemorySegment.NULL, 0);
    }

    private static int element(BpfCommand command, Fd map, MemorySegment key, MemorySegment value, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.MAP_ELEM)
                    .u32("map_fd", map.value())
                    .pointer("key", key)
                    .pointer("value", value)
                    .u64("flags", flags);
            Syscalls.Result result = Syscalls.bpf(command, attr.segment());
            return result.failed() ? result.errno() : 0;
        }
    }

    /** One {@code BPF_MAP_LOOKUP_BATCH}: how many elements came back, and the errno (ENOENT: the last batch). */
    record Batch(int count, int errno) {}

    /**
     * Looks up at most {@code count} elements after the position {@code inBatch} holds ({@code NULL}: from the
     * start) into {@code keys} and {@code values}; the kernel writes the next position into {@code outBatch}.
     */
    static Batch lookupBatch(Fd map, MemorySegment inBatch, MemorySegment outBatch, MemorySegment keys,
                             MemorySegment values, int count) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.BATCH)
                    .pointer("in_batch", inBatch)
                    .pointer("out_batch", outBatch)
                    .pointer("keys", keys)
                    .pointer("values", values)
                    .u32("count", count)
                    .u32("map_fd", map.value());
            Syscalls.Result result = Syscalls.bpf(BpfCommand.MAP_LOOKUP_BATCH, attr.segment());
            return new Batch(attr.u32("count"), result.failed() ? result.errno() : 0);
        }
    }
}
