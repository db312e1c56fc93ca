package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.MapFlags.*;

import org.ebpf4j.api.MapException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * The attribute checks of {@code BPF_MAP_CREATE}, per map type, with the kernel's errno: what each type's
 * {@code map_alloc_check} refuses. Capability checks (LRU maps and BPF_F_ZERO_SEED need CAP_BPF) belong to the
 * loader's privilege model, not here.
 */
final class MapCreation {
    private MapCreation() {}

    /** User-space and program access flags (the kernel's BPF_F_ACCESS_MASK). */
    static final int ACCESS_FLAGS = BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;

    static final int ARRAY_FLAGS = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | ACCESS_FLAGS | BPF_F_INNER_MAP;
    static final int HASH_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | ACCESS_FLAGS
            | BPF_F_ZERO_SEED;
    static final int QUEUE_STACK_FLAGS = BPF_F_NUMA_NODE | ACCESS_FLAGS;
    static final int BLOOM_FLAGS = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | ACCESS_FLAGS;
    static final int LPM_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | ACCESS_FLAGS;

    /** A hash key is at most a stack's worth of bytes (MAX_BPF_STACK). */
    static final int MAX_HASH_KEY = 512;
    /** A per-CPU value is at most PCPU_MIN_UNIT_SIZE bytes (rounded to 8). */
    static final int MAX_PERCPU_VALUE = 32768;
    /** LPM keys: the 4-byte prefix length and 1 to 256 address bytes. */
    static final int MIN_LPM_KEY = LpmTrieMap.PREFIX_LENGTH_BYTES + 1;
    static final int MAX_LPM_KEY = LpmTrieMap.PREFIX_LENGTH_BYTES + 256;

    static void check(MapSpec spec) {
        int flags = spec.flags();
        require(spec, bothSet(flags, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG) || bothSet(flags, BPF_F_RDONLY | BPF_F_WRONLY),
                Errno.EINVAL, "read-only and write-only at once");
        require(spec, spec.mapExtra() != 0 && spec.type() != MapType.BLOOM_FILTER, Errno.EINVAL,
                "map_extra is only for bloom filters");
        switch (spec.type()) {
            case ARRAY, PERCPU_ARRAY -> checkArray(spec);
            case HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH -> checkHash(spec);
            case PROG_ARRAY, ARRAY_OF_MAPS -> {
                checkFdValue(spec);
                checkArray(spec);
                checkTemplate(spec);
            }
            case HASH_OF_MAPS -> {
                checkFdValue(spec);
                checkHash(spec);
                checkTemplate(spec);
            }
            case QUEUE, STACK -> {
                require(spec, spec.maxEntries() == 0 || spec.keySize() != 0 || spec.valueSize() == 0
                        || (flags & ~QUEUE_STACK_FLAGS) != 0, Errno.EINVAL, "bad queue/stack attributes");
            }
            case BLOOM_FILTER -> require(spec, spec.keySize() != 0 || spec.valueSize() == 0 || spec.maxEntries() == 0
                    || (flags & ~BLOOM_FLAGS) != 0 || (spec.mapExtra() & ~BloomFilterMap.HASH_COUNT_MASK) != 0,
                    Errno.EINVAL, "bad bloom filter attributes");
            case LPM_TRIE -> require(spec, spec.maxEntries() == 0 || (flags & BPF_F_NO_PREALLOC) == 0
                    || (flags & ~LPM_FLAGS) != 0 || spec.keySize() < MIN_LPM_KEY || spec.keySize() > MAX_LPM_KEY
                    || spec.valueSize() < 1, Errno.EINVAL,
                    "bad LPM trie attributes (BPF_F_NO_PREALLOC is required, keys are 5-260 bytes)");
            case RINGBUF -> require(spec, RingBufferMap.badAttributes(spec), Errno.EINVAL,
                    "bad ring buffer attributes (no key or value; max_entries a power-of-2 multiple of the page size)");
            case PERF_EVENT_ARRAY -> require(spec, PerfEventArrayMap.badAttributes(spec), Errno.EINVAL,
                    "bad perf event array attributes (4-byte keys and values)");
            case STACK_TRACE -> {
                Errno refused = StackTraceMap.refusal(spec);
                require(spec, refused != null, refused, "bad stack trace map attributes (4-byte keys, values a"
                        + " multiple of 8 bytes and at most " + StackTraceMap.MAX_STACK + " frames)");
            }
            default -> throw new UnsupportedOperationException("map type " + spec.type().kernelName()
                    + " of map '" + spec.name() + "' is not supported by the JVM runtime yet");
        }
    }

    private static void checkArray(MapSpec spec) {
        int flags = spec.flags();
        boolean perCpu = spec.type() == MapType.PERCPU_ARRAY;
        boolean plain = spec.type() == MapType.ARRAY;
        require(spec, spec.maxEntries() == 0 || spec.keySize() != 4 || spec.valueSize() == 0
                || (flags & ~ARRAY_FLAGS) != 0 || (perCpu && (flags & BPF_F_NUMA_NODE) != 0)
                || (!plain && (flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)) != 0), Errno.EINVAL,
                "bad array attributes (keys are 4 bytes)");
        require(spec, perCpu && roundUp8(spec.valueSize()) > MAX_PERCPU_VALUE, Errno.E2BIG, "per-CPU value too large");
    }

    private static void checkHash(MapSpec spec) {
        int flags = spec.flags();
        boolean lru = switch (spec.type()) {
            case LRU_HASH, LRU_PERCPU_HASH -> true;
            default -> false;
        };
        boolean perCpu = switch (spec.type()) {
            case PERCPU_HASH, LRU_PERCPU_HASH -> true;
            default -> false;
        };
        boolean perCpuLru = (flags & BPF_F_NO_COMMON_LRU) != 0;
        require(spec, (flags & ~HASH_FLAGS) != 0, Errno.EINVAL, "unknown hash flags");
        require(spec, !lru && perCpuLru, Errno.EINVAL, "BPF_F_NO_COMMON_LRU is only for LRU maps");
        require(spec, lru && (flags & BPF_F_NO_PREALLOC) != 0, Errno.ENOTSUPP, "LRU maps are always preallocated");
        require(spec, (flags & BPF_F_NUMA_NODE) != 0 && (perCpu || perCpuLru), Errno.EINVAL,
                "BPF_F_NUMA_NODE with per-CPU storage");
        require(spec, spec.maxEntries() == 0 || spec.keySize() == 0 || spec.valueSize() == 0, Errno.EINVAL,
                "zero size");
        require(spec, spec.keySize() > MAX_HASH_KEY, Errno.E2BIG, "key larger than " + MAX_HASH_KEY + " bytes");
        require(spec, perCpu && roundUp8(spec.valueSize()) > MAX_PERCPU_VALUE, Errno.E2BIG, "per-CPU value too large");
    }

    /** fd_array_map_alloc_check and fd_htab_map_alloc_check: values are 4-byte fds, no program access flags. */
    private static void checkFdValue(MapSpec spec) {
        require(spec, spec.valueSize() != 4, Errno.EINVAL, "values of fd maps are 4 bytes");
        require(spec, (spec.flags() & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) != 0, Errno.EINVAL,
                "program access flags on an fd map");
    }

    /** bpf_map_meta_alloc: maps of maps need an inner map template, itself a valid map and no map of maps. */
    private static void checkTemplate(MapSpec spec) {
        boolean ofMaps = spec.type() == MapType.ARRAY_OF_MAPS || spec.type() == MapType.HASH_OF_MAPS;
        if (!ofMaps) {
            return;
        }
        MapSpec inner = spec.innerMap().orElse(null);
        require(spec, inner == null, Errno.EINVAL, "no inner map template");
        require(spec, inner.type() == MapType.ARRAY_OF_MAPS || inner.type() == MapType.HASH_OF_MAPS, Errno.EINVAL,
                "maps of maps nest one level only");
        if (inner.type() == MapType.PROG_ARRAY) {
            throw new UnsupportedOperationException("map '" + spec.name() + "': prog arrays as inner maps are not"
                    + " supported by the JVM runtime yet");
        }
        check(inner);
    }

    private static boolean bothSet(int flags, int both) {
        return (flags & both) == both;
    }

    private static int roundUp8(int size) {
        return (size + 7) & ~7;
    }

    private static void require(MapSpec spec, boolean refused, Errno errno, String why) {
        if (refused) {
            throw new MapException(spec.name(), "create (" + why + ")", errno);
        }
    }
}
