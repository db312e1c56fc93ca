package org.ebpf4j.elf.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapSpec.MapEntry;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * Every map of one collection, created in the kernel the way libbpf creates them: perf event arrays sized to the
 * possible CPUs, map-in-map outer maps given an inner map made from their template, global data written and
 * {@code .rodata} frozen, {@code .kconfig} filled in and frozen, map-in-map slots filled. Prog-array slots stay
 * empty: these tests load one program at a time, and an empty slot does not change what the verifier accepts.
 * Closing closes every map.
 */
final class KernelMaps implements AutoCloseable {
    private final Map<String, Fd> fds = new LinkedHashMap<>();

    private KernelMaps() {}

    static KernelMaps create(CollectionSpec collection) {
        KernelMaps maps = new KernelMaps();
        try {
            for (MapSpec spec : collection.maps().values()) {
                maps.fds.put(spec.name(), createOne(spec));
            }
            for (MapSpec spec : collection.maps().values()) {
                maps.fill(collection, spec);
            }
            return maps;
        } catch (RuntimeException e) {
            maps.close();
            throw e;
        }
    }

    Fd fd(String mapName) {
        Fd fd = fds.get(mapName);
        if (fd == null) {
            throw new IllegalArgumentException("no map named '" + mapName + "' was created; there are " + fds.keySet());
        }
        return fd;
    }

    private static Fd createOne(MapSpec spec) {
        if (spec.innerMap().isEmpty()) {
            return BpfCommands.createMap(attributes(spec, 0));
        }
        // The kernel only reads the inner map's shape at creation, so the template can be closed right after.
        try (Fd inner = createOne(spec.innerMap().get())) {
            return BpfCommands.createMap(attributes(spec, inner.value()));
        }
    }

    private static BpfCommands.MapAttributes attributes(MapSpec spec, int innerMapFd) {
        int maxEntries = spec.maxEntries();
        if (spec.type() == MapType.PERF_EVENT_ARRAY && maxEntries == 0) {
            maxEntries = PossibleCpus.count();
        }
        return new BpfCommands.MapAttributes(spec.name(), spec.type().value(), spec.keySize(), spec.valueSize(),
                maxEntries, spec.flags(), innerMapFd, spec.numaNode(), spec.mapExtra());
    }

    private void fill(CollectionSpec collection, MapSpec spec) {
        Fd fd = fds.get(spec.name());
        String what = "map " + spec.name() + " of " + collection.name();
        if (spec.origin() == MapSpec.Origin.KCONFIG) {
            byte[] value = KconfigValues.valueOf(collection, spec);
            BpfCommands.updateElement(fd, what, key(0), value, MapUpdateFlags.BPF_ANY);
        }
        for (MapEntry entry : spec.contents()) {
            switch (entry) {
                case MapEntry.Bytes bytes -> BpfCommands.updateElement(fd, what, bytes.key(), bytes.value(),
                        MapUpdateFlags.BPF_ANY);
                case MapEntry.Map inner -> BpfCommands.updateElement(fd, what, key(inner.index()),
                        key(fd(inner.mapName()).value()), MapUpdateFlags.BPF_ANY);
                case MapEntry.Program ignored -> {
                    // Needs the program loaded first; see the class comment.
                }
            }
        }
        if (spec.frozen()) {
            BpfCommands.freeze(fd, what);
        }
    }

    /** A 4-byte little-endian key or fd value. */
    private static byte[] key(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    @Override
    public void close() {
        List<Fd> open = new ArrayList<>(fds.values());
        fds.clear();
        open.forEach(Fd::close);
    }
}
