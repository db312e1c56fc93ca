package org.ebpf4j.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The map helpers alone, called as both engines call them (a {@link Helper} with the invocation as its context),
 * with the key and value on the invocation's stack: what one {@code bpf_map_lookup_elem} or
 * {@code bpf_map_update_elem} of an existing key costs without an engine or a run around it. 1024 keys, all
 * present, visited in turn. {@link #chmLookup} is a {@link ConcurrentHashMap} of {@link AtomicLong}s looked up by
 * {@code Integer}: the baseline. Run with {@code -prof gc} to see the bytes each call allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class MapHelperBenchmark {
    private static final int KEYS = 1024;
    private static final int CPUS = 2;
    /** Where the key and the value lie on the stack, as a program's {@code r10 - 8} and {@code r10 - 16}. */
    private static final long KEY = Invocation.framePointer(0) - 8;
    private static final long VALUE = Invocation.framePointer(0) - 16;

    @Param({"HASH", "PERCPU_HASH", "LRU_HASH"})
    public MapType type;

    private JvmMap map;
    private long handle;
    private Helper lookup;
    private Helper update;
    private final Invocation invocation = new Invocation();
    private final ConcurrentHashMap<Integer, AtomicLong> chm = new ConcurrentHashMap<>();
    private int key;

    @Setup(Level.Trial)
    public void setUp() {
        map = JvmMaps.create(new MapSpec("bench_" + type.name().toLowerCase(), type, 4, 8, KEYS, 0, MapPinning.NONE,
                0, 0, Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF), CPUS);
        for (int k = 0; k < KEYS; k++) {
            byte[] keyBytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(k).array();
            if (type == MapType.PERCPU_HASH) {
                map.updatePerCpu(keyBytes, Collections.nCopies(CPUS, new byte[8]), MapUpdateFlags.BPF_ANY);
            } else {
                map.update(keyBytes, new byte[8], MapUpdateFlags.BPF_ANY);
            }
            chm.put(k, new AtomicLong());
        }
        handle = map.handle();
        HelperRegistry helpers = MapHelpers.registry();
        lookup = helpers.get(HelperFunction.MAP_LOOKUP_ELEM.value());
        update = helpers.get(HelperFunction.MAP_UPDATE_ELEM.value());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        map.close();
    }

    private int nextKey() {
        key = (key + 1) & (KEYS - 1);
        return key;
    }

    /** {@code bpf_map_lookup_elem(map, &key)}: a pointer to the value. */
    @Benchmark
    public long lookup() {
        invocation.memory().store(KEY, 4, nextKey());
        return lookup.call(invocation, handle, KEY, 0, 0, 0);
    }

    /** {@code bpf_map_update_elem(map, &key, &value, BPF_ANY)} of a key that is present. */
    @Benchmark
    public long update() {
        int k = nextKey();
        invocation.memory().store(KEY, 4, k);
        invocation.memory().store(VALUE, 8, k);
        return update.call(invocation, handle, KEY, VALUE, MapUpdateFlags.BPF_ANY, 0);
    }

    /** Baseline: the same lookup in plain Java. */
    @Benchmark
    public Object chmLookup() {
        return chm.get(nextKey());
    }
}
