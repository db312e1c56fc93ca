package org.ebpf4j.bench;

import static org.ebpf4j.isa.Opcode.PSEUDO_MAP_FD;
import static org.ebpf4j.isa.Register.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.maps.MapTable;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Map operations per second from inside programs on the interpreter: one program run per operation, a lookup
 * followed by {@code lock add} on the value ({@code *Lookup}), or an update with BPF_ANY ({@code *Update}), over
 * 1024 keys that are all present. {@code chm*} does the same work on a {@link ConcurrentHashMap} of
 * {@link AtomicLong}s in plain Java: the baseline. {@link TwoThreads} runs everything on two threads sharing the maps
 * (each thread its own CPU slot).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
@Threads(1)
public class MapBenchmark {
    static final int KEYS = 1024;
    static final int CPUS = 2;

    JvmMap array;
    JvmMap percpuArray;
    JvmMap hash;
    JvmMap percpuHash;
    JvmMap lru;
    Interpreter arrayLookup;
    Interpreter arrayUpdate;
    Interpreter percpuArrayLookup;
    Interpreter hashLookup;
    Interpreter hashUpdate;
    Interpreter percpuHashLookup;
    Interpreter percpuHashUpdate;
    Interpreter lruLookup;
    Interpreter lruUpdate;
    final ConcurrentHashMap<Integer, AtomicLong> chm = new ConcurrentHashMap<>();

    /** Each thread's invocation, CPU slot and key sequence. */
    @State(Scope.Thread)
    public static class Caller {
        private static final AtomicInteger NEXT_CPU = new AtomicInteger();
        final Invocation invocation = new Invocation();
        int key;

        @Setup(Level.Trial)
        public void setUp() {
            invocation.setCpu(NEXT_CPU.getAndIncrement() % CPUS);
        }

        int nextKey() {
            key = (key + 1) & (KEYS - 1);
            return key;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        array = JvmMaps.create(spec(MapType.ARRAY), CPUS);
        percpuArray = JvmMaps.create(spec(MapType.PERCPU_ARRAY), CPUS);
        hash = JvmMaps.create(spec(MapType.HASH), CPUS);
        percpuHash = JvmMaps.create(spec(MapType.PERCPU_HASH), CPUS);
        lru = JvmMaps.create(spec(MapType.LRU_HASH), CPUS);
        for (int k = 0; k < KEYS; k++) {
            hash.update(u32(k), new byte[8], MapUpdateFlags.BPF_ANY);
            lru.update(u32(k), new byte[8], MapUpdateFlags.BPF_ANY);
            percpuHash.updatePerCpu(u32(k), Collections.nCopies(CPUS, new byte[8]), MapUpdateFlags.BPF_ANY);
            chm.put(k, new AtomicLong());
        }
        arrayLookup = load(lookupAndAdd(), array);
        arrayUpdate = load(update(), array);
        percpuArrayLookup = load(lookupAndAdd(), percpuArray);
        hashLookup = load(lookupAndAdd(), hash);
        hashUpdate = load(update(), hash);
        percpuHashLookup = load(lookupAndAdd(), percpuHash);
        percpuHashUpdate = load(update(), percpuHash);
        lruLookup = load(lookupAndAdd(), lru);
        lruUpdate = load(update(), lru);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (JvmMap m : List.of(array, percpuArray, hash, percpuHash, lru)) {
            m.close();
        }
    }

    private static MapSpec spec(MapType type) {
        return new MapSpec("bench_" + type.name().toLowerCase(), type, 4, 8, KEYS, 0, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF);
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static Interpreter load(ProgramBuilder b, JvmMap map) {
        return Interpreter.load(b.build(), MapHelpers.registry(), Long.MAX_VALUE, MapTable.byIndex(List.of(map)));
    }

    /** {@code v = lookup(map, &r1); if (v) lock *v += 1;} */
    private static ProgramBuilder lookupAndAdd() {
        return new ProgramBuilder()
                .stx(Size.W, R10, -4, R1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .call(HelperFunction.MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "out")
                .mov64(R1, 1)
                .atomic(Size.DW, AtomicOp.ADD, false, R0, 0, R1)
                .label("out")
                .exit();
    }

    /** {@code update(map, &r1, &r1-as-u64, BPF_ANY)} */
    private static ProgramBuilder update() {
        return new ProgramBuilder()
                .stx(Size.W, R10, -4, R1)
                .stx(Size.DW, R10, -16, R1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -4)
                .mov64(R3, R10).alu64(AluOp.ADD, R3, -16)
                .mov64(R4, MapUpdateFlags.BPF_ANY)
                .call(HelperFunction.MAP_UPDATE_ELEM.value())
                .exit();
    }

    @Benchmark
    public long arrayLookup(Caller c) {
        return arrayLookup.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long arrayUpdate(Caller c) {
        return arrayUpdate.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long percpuArrayLookup(Caller c) {
        return percpuArrayLookup.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long hashLookup(Caller c) {
        return hashLookup.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long hashUpdate(Caller c) {
        return hashUpdate.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long percpuHashLookup(Caller c) {
        return percpuHashLookup.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long percpuHashUpdate(Caller c) {
        return percpuHashUpdate.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long lruLookup(Caller c) {
        return lruLookup.run(c.invocation, c.nextKey());
    }

    @Benchmark
    public long lruUpdate(Caller c) {
        return lruUpdate.run(c.invocation, c.nextKey());
    }

    /** Baseline: the lookup-and-add in plain Java on a ConcurrentHashMap. */
    @Benchmark
    public long chmLookup(Caller c) {
        AtomicLong v = chm.get(c.nextKey());
        return v == null ? 0 : v.incrementAndGet();
    }

    /** Baseline: the update in plain Java on a ConcurrentHashMap. */
    @Benchmark
    public Object chmUpdate(Caller c) {
        int k = c.nextKey();
        return chm.put(k, new AtomicLong(k));
    }

    /** The same benchmarks on two threads sharing the maps. */
    @Threads(2)
    public static class TwoThreads extends MapBenchmark {}
}
