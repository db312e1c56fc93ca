package org.ebpf4j.runtime.maps;

import java.util.Collections;
import java.util.Optional;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapUpdateFlags;

/** Creates JVM maps from specs, with the kernel's checks ({@code BPF_MAP_CREATE}). */
public final class JvmMaps {
    private JvmMaps() {}

    /** Per-CPU slots when the caller names none: one per available processor, as the kernel has one per CPU. */
    public static int defaultCpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static JvmMap create(MapSpec spec) {
        return create(spec, defaultCpus());
    }

    public static JvmMap create(MapSpec declared, int cpus) {
        return create(declared, cpus, Optional.empty());
    }

    /**
     * A map as {@code BPF_MAP_CREATE} would make it, filled with the spec's initial contents and frozen when the spec
     * says so. Bad attributes are {@link org.ebpf4j.api.MapException}s with the kernel's errno; map types the JVM
     * runtime does not implement yet are {@link UnsupportedOperationException}s naming the type. A
     * {@code PERF_EVENT_ARRAY} without {@code max_entries} gets one entry per CPU, as libbpf gives it.
     *
     * @param cpus the per-CPU slots of per-CPU maps
     * @param btf the object's BTF, where the spec's BTF type ids point: a value holding a {@code bpf_spin_lock}
     *     ({@link SpinLockField}) gets the kernel's treatment of the lock and BPF_F_LOCK
     */
    public static JvmMap create(MapSpec declared, int cpus, Optional<Btf> btf) {
        MapSpec spec = PerfEventArrayMap.sized(declared, cpus);
        MapCreation.check(spec);
        int lock = SpinLockField.offset(spec, btf);
        JvmMap map = switch (spec.type()) {
            case ARRAY, PERCPU_ARRAY -> new ArrayMap(spec, cpus, lock);
            case HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH -> new HashTableMap(spec, cpus, lock);
            case QUEUE, STACK -> new QueueStackMap(spec, cpus);
            case BLOOM_FILTER -> new BloomFilterMap(spec, cpus);
            case LPM_TRIE -> new LpmTrieMap(spec, cpus);
            case PROG_ARRAY -> new ProgArrayMap(spec);
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> new MapOfMaps(spec);
            case RINGBUF -> new RingBufferMap(spec, cpus);
            case PERF_EVENT_ARRAY -> new PerfEventArrayMap(spec, cpus);
            case STACK_TRACE -> new StackTraceMap(spec, cpus);
            default -> throw new IllegalStateException("checked above: " + spec.type());
        };
        map.register();
        try {
            fill(map, spec);
            if (spec.frozen()) {
                map.freeze();
            }
            return map;
        } catch (RuntimeException e) {
            map.close();
            throw e;
        }
    }

    private static void fill(JvmMap map, MapSpec spec) {
        for (MapSpec.MapEntry entry : spec.contents()) {
            switch (entry) {
                case MapSpec.MapEntry.Bytes(byte[] key, byte[] value) -> {
                    if (map.perCpu) {
                        map.updatePerCpu(key, Collections.nCopies(map.cpus, value), MapUpdateFlags.BPF_ANY);
                    } else {
                        map.update(key, value, MapUpdateFlags.BPF_ANY);
                    }
                }
                case MapSpec.MapEntry.Program p -> throw new IllegalArgumentException("map '" + spec.name()
                        + "' holds program '" + p.programName() + "': its collection's loader (JvmBackend) fills"
                        + " prog-array slots, after loading the programs");
                case MapSpec.MapEntry.Map m -> throw new IllegalArgumentException("map '" + spec.name()
                        + "' holds map '" + m.mapName() + "': its collection's loader (JvmBackend) fills map-in-map"
                        + " slots, after creating the maps");
            }
        }
    }
}
