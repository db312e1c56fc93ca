package org.ebpf4j.spec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A map as an object file declares it: its attributes in Linux's numbers, and what it holds before any program
 * runs (global data, prog-array and map-in-map slots). A value: backends create maps from it.
 *
 * @param name the map's name in the object ({@code .data}, {@code .rodata.str1.1} for global data)
 * @param type the map type
 * @param keySize key size in bytes (0 for queues, stacks, ring buffers, bloom filters)
 * @param valueSize value size in bytes (0 for ring buffers)
 * @param maxEntries {@code max_entries} (the ring buffer's size in bytes)
 * @param flags {@code map_flags} ({@link MapFlags})
 * @param pinning libbpf's pinning mode
 * @param numaNode NUMA node, meaningful with {@link MapFlags#BPF_F_NUMA_NODE}
 * @param mapExtra {@code map_extra} (the bloom filter's hash count, ...)
 * @param innerMap the template of the inner maps of a map-in-map
 * @param contents what the map holds at creation
 * @param frozen whether the map is frozen after creation (read-only to user space; {@code .rodata})
 * @param btfKeyTypeId BTF type of the key, 0 when unknown
 * @param btfValueTypeId BTF type of the value, 0 when unknown
 * @param origin where in the object the map came from
 */
public record MapSpec(
        String name,
        MapType type,
        int keySize,
        int valueSize,
        int maxEntries,
        int flags,
        MapPinning pinning,
        int numaNode,
        long mapExtra,
        Optional<MapSpec> innerMap,
        List<MapEntry> contents,
        boolean frozen,
        int btfKeyTypeId,
        int btfValueTypeId,
        Origin origin) {

    public MapSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(pinning);
        Objects.requireNonNull(innerMap);
        contents = List.copyOf(contents);
        Objects.requireNonNull(origin);
    }

    /** This map with other initial contents. */
    public MapSpec withContents(List<MapEntry> newContents) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, pinning, numaNode, mapExtra, innerMap,
                newContents, frozen, btfKeyTypeId, btfValueTypeId, origin);
    }

    /** The kinds of declarations a map can come from. */
    public enum Origin {
        /** A variable in {@code .maps}, described by BTF. */
        BTF,
        /** A {@code struct bpf_map_def} in the legacy {@code maps} section. */
        LEGACY,
        /** A global data section turned into a one-element array ({@code .data}, {@code .rodata}, {@code .bss}). */
        GLOBAL_DATA,
        /** {@code .kconfig} externs, filled in by the backend at load. */
        KCONFIG
    }

    /** What a map holds at creation. */
    public sealed interface MapEntry {
        /** A key/value pair as bytes, in the object's byte order. */
        record Bytes(byte[] key, byte[] value) implements MapEntry {}

        /** A prog-array slot holding a program of the same collection. */
        record Program(int index, String programName) implements MapEntry {}

        /** A map-in-map slot holding a map of the same collection. */
        record Map(int index, String mapName) implements MapEntry {}
    }
}
