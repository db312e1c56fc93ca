package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Opcode.PSEUDO_MAP_FD;
import static org.ebpf4j.isa.Register.*;
import static org.ebpf4j.runtime.maps.Specs.*;
import static org.ebpf4j.spec.HelperFunction.*;
import static org.ebpf4j.spec.MapUpdateFlags.BPF_ANY;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ebpf4j.api.MapException;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every map type under programs and Java callers on several threads at once, a million operations per map:
 * no exception, no lost increment where the kernel guarantees none, no half-written value once writers are done
 * (and none seen by readers where the kernel promises it), no lost or invented queue element, no false negative in
 * a bloom filter, and never more entries than max_entries.
 *
 * <p>Values are {@code [counter, seq, ~seq]}: programs and Java write the last two together, so a reader that sees
 * {@code seq ^ ~seq != -1} saw a torn value. Key 0 is created first and never deleted: programs count on it.
 */
class MapStressTest {
    private static final int PROGRAM_THREADS = 2;
    private static final int JAVA_THREADS = 2;
    private static final int RUNS = 250_000;
    private static final int KEYS = 64;
    private static final int MAX_ENTRIES = 32;
    private static final long TORN = -999;
    private static final int OP_INCREMENT = 0;
    private static final int OP_UPDATE = 1;
    private static final int OP_DELETE = 2;
    private static final int OP_CHECK = 3;

    enum Keyed {
        HASH(MapType.HASH, true, false),
        PERCPU_HASH(MapType.PERCPU_HASH, true, false),
        LRU_HASH(MapType.LRU_HASH, false, false),
        LRU_PERCPU_HASH(MapType.LRU_PERCPU_HASH, false, false),
        ARRAY(MapType.ARRAY, true, false),
        PERCPU_ARRAY(MapType.PERCPU_ARRAY, true, false),
        LPM_TRIE(MapType.LPM_TRIE, true, false);

        final MapType type;
        /** Key 0 stays (LRU maps may evict it under churn, as the kernel's do). */
        final boolean countsExactly;
        /**
         * Readers never see half of an update: the kernel gives that only where an update links a new element and
         * frees the old one after a grace period (LPM tries, hashes with BPF_F_NO_PREALLOC). Preallocated hash
         * elements are reused at once and per-CPU and array values are copied in place, so there a reader may see
         * a value being written. ebpf4j preallocates every element, LPM tries too (a documented difference), so no
         * map type promises it yet.
         */
        final boolean valuesWhole;

        Keyed(MapType type, boolean countsExactly, boolean valuesWhole) {
            this.type = type;
            this.countsExactly = countsExactly;
            this.valuesWhole = valuesWhole;
        }

        boolean perCpu() {
            return type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH || type == MapType.PERCPU_ARRAY;
        }

        boolean lpm() {
            return type == MapType.LPM_TRIE;
        }

        boolean array() {
            return type == MapType.ARRAY || type == MapType.PERCPU_ARRAY;
        }

        int keySize() {
            return lpm() ? 8 : 4;
        }

        int maxEntries() {
            return array() ? KEYS : MAX_ENTRIES;
        }

        int flags() {
            return lpm() ? 1 : 0; // BPF_F_NO_PREALLOC, which the kernel requires of LPM tries
        }

        byte[] key(int k) {
            return lpm() ? ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(32).putInt(k).array()
                    : u32(k);
        }
    }

    @ParameterizedTest
    @EnumSource(Keyed.class)
    void keyedMapsStayConsistent(Keyed kind) throws Exception {
        int cpus = PROGRAM_THREADS + JAVA_THREADS;
        try (JvmMap map = JvmMaps.create(spec(kind.type, kind.keySize(), 24, kind.maxEntries(), kind.flags()), cpus)) {
            if (kind.perCpu()) {
                map.updatePerCpu(kind.key(0), Collections.nCopies(cpus, value(0)), BPF_ANY);
            } else {
                map.update(kind.key(0), value(0), BPF_ANY);
            }
            Interpreter churn = MapProgramsTest.load(churnProgram(kind.lpm()), map);
            AtomicLong increments = new AtomicLong();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < PROGRAM_THREADS; t++) {
                int cpu = t;
                tasks.add(() -> {
                    Invocation inv = new Invocation();
                    inv.setCpu(cpu);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    long counted = 0;
                    for (int i = 0; i < RUNS; i++) {
                        int op = random.nextInt(4);
                        long r0 = churn.run(inv, (long) i << 34 | (long) op << 32 | random.nextInt(KEYS));
                        inv.reset();
                        switch (op) {
                            case OP_INCREMENT -> {
                                assertTrue(r0 == 1 || !kind.countsExactly && r0 == 0, kind + " increment r0 " + r0);
                                counted += r0;
                            }
                            case OP_UPDATE -> assertTrue(r0 == 0 || r0 == Errno.E2BIG.negated()
                                    || kind.lpm() && r0 == Errno.ENOSPC.negated(), kind + " update r0 " + r0);
                            case OP_DELETE -> assertTrue(r0 == 0 || r0 == Errno.ENOENT.negated()
                                    || kind.array() && r0 == Errno.EINVAL.negated(), kind + " delete r0 " + r0);
                            default -> assertTrue(r0 == 0 || !kind.valuesWhole && r0 == TORN, kind + " check " + r0);
                        }
                    }
                    increments.addAndGet(counted);
                    return null;
                });
            }
            for (int t = 0; t < JAVA_THREADS; t++) {
                tasks.add(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < RUNS; i++) {
                        byte[] key = kind.key(1 + random.nextInt(KEYS - 1));
                        try {
                            javaOperation(kind, map, key, random.nextInt(4), i, cpus);
                        } catch (MapException e) {
                            assertTrue(e.errno() == Errno.E2BIG || e.errno() == Errno.ENOSPC && kind.lpm()
                                    || e.errno() == Errno.EINVAL && kind.array(), kind + ": " + e.getMessage());
                        }
                        if (i % 256 == 0) {
                            // Under churn a walk may see a key twice (it moved), as in the kernel; it must end.
                            map.keys().forEach(k -> assertEquals(kind.keySize(), k.length));
                        }
                    }
                    return null;
                });
            }
            runAll(tasks);

            List<byte[]> keys = map.keys();
            assertTrue(keys.size() <= kind.maxEntries(), kind + " holds " + keys.size() + " entries");
            if (map instanceof HashTableMap hash) {
                assertEquals(hash.size(), keys.size(), "index and iteration agree at rest");
            }
            for (byte[] key : keys) {
                for (byte[] value : values(kind, map, key)) {
                    // Writers of one element are serialized (the kernel's bucket lock), so what stays is whole. A
                    // per-CPU element a program inserted last holds zeros on the other CPUs, as in the kernel.
                    assertTrue(kind.array() || whole(value) || kind.perCpu() && zero(value),
                            kind + ": torn value at rest");
                }
            }
            if (kind.countsExactly) {
                long total = values(kind, map, kind.key(0)).stream().mapToLong(v -> longAt(v, 0)).sum();
                assertEquals(increments.get(), total, kind + ": every increment counted");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"QUEUE", "STACK"})
    void queuesAndStacksNeitherLoseNorInventElements(MapType type) throws Exception {
        try (JvmMap map = JvmMaps.create(spec(type, 0, 16, MAX_ENTRIES, 0), PROGRAM_THREADS + JAVA_THREADS)) {
            Interpreter pushPop = MapProgramsTest.load(pushPopProgram(), map);
            AtomicLong pushed = new AtomicLong();
            AtomicLong popped = new AtomicLong();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < PROGRAM_THREADS; t++) {
                int cpu = t;
                tasks.add(() -> {
                    Invocation inv = new Invocation();
                    inv.setCpu(cpu);
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < RUNS; i++) {
                        boolean push = random.nextBoolean();
                        long r0 = pushPop.run(inv, (long) i << 1 | (push ? 0 : 1));
                        inv.reset();
                        if (push) {
                            assertTrue(r0 == 0 || r0 == Errno.E2BIG.negated(), type + " push r0 " + r0);
                            pushed.addAndGet(r0 == 0 ? 1 : 0);
                        } else {
                            assertTrue(r0 == 0 || r0 == Errno.ENOENT.negated(), type + " pop r0 " + r0);
                            popped.addAndGet(r0 == 0 ? 1 : 0);
                        }
                    }
                    return null;
                });
            }
            for (int t = 0; t < JAVA_THREADS; t++) {
                tasks.add(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < RUNS; i++) {
                        if (random.nextBoolean()) {
                            try {
                                map.push(Arrays.copyOfRange(value(i), 8, 24), BPF_ANY);
                                pushed.incrementAndGet();
                            } catch (MapException e) {
                                assertEquals(Errno.E2BIG, e.errno());
                            }
                        } else {
                            map.pop().ifPresent(v -> {
                                assertTrue(whole16(v), type + ": torn element popped");
                                popped.incrementAndGet();
                            });
                        }
                    }
                    return null;
                });
            }
            runAll(tasks);
            long left = 0;
            for (Optional<byte[]> v = map.pop(); v.isPresent(); v = map.pop()) {
                assertTrue(whole16(v.get()), type + ": torn element left");
                left++;
            }
            assertTrue(left <= MAX_ENTRIES);
            assertEquals(pushed.get(), popped.get() + left, type + ": pushed = popped + left");
        }
    }

    @Test
    void bloomFiltersHaveNoFalseNegativesUnderConcurrentPushes() throws Exception {
        try (JvmMap bloom = JvmMaps.create(spec(MapType.BLOOM_FILTER, 0, 8, 100_000, 0, 3), PROGRAM_THREADS)) {
            Interpreter pushThenPeek = MapProgramsTest.load(bloomProgram(), bloom);
            List<Callable<Void>> tasks = new ArrayList<>();
            int runs = RUNS / 5; // each thread's values stay well inside max_entries' false-positive budget
            for (int t = 0; t < PROGRAM_THREADS; t++) {
                long base = (long) t << 40;
                tasks.add(() -> {
                    Invocation inv = new Invocation();
                    for (int i = 0; i < runs; i++) {
                        assertEquals(0, pushThenPeek.run(inv, base + i), "pushed value found at once");
                        inv.reset();
                    }
                    return null;
                });
                tasks.add(() -> {
                    for (int i = 0; i < runs; i++) {
                        byte[] v = u64(base + runs + i);
                        bloom.push(v, BPF_ANY);
                        assertTrue(bloom.contains(v), "pushed value found at once");
                    }
                    return null;
                });
            }
            runAll(tasks);
            for (int t = 0; t < PROGRAM_THREADS; t++) {
                for (int i = 0; i < 2 * runs; i++) {
                    assertTrue(bloom.contains(u64(((long) t << 40) + i)), "no false negative at rest");
                }
            }
        }
    }

    /** r1 = seq << 1 | pop: push {@code [seq, ~seq]}, or pop and return {@link #TORN} for a half-written element. */
    static ProgramBuilder pushPopProgram() {
        return new ProgramBuilder()
                .mov64(R6, R1).alu64(AluOp.RSH, R6, 1)
                .lddwPseudo(R7, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -16)
                .alu64(AluOp.AND, R1, 1)
                .jump(JumpOp.JEQ, R1, 1, "pop")
                .stx(Size.DW, R10, -16, R6)
                .alu64(AluOp.XOR, R6, -1)
                .stx(Size.DW, R10, -8, R6)
                .mov64(R1, R7)
                .mov64(R3, BPF_ANY)
                .call(MAP_PUSH_ELEM.value())
                .exit()
                .label("pop")
                .mov64(R1, R7)
                .call(MAP_POP_ELEM.value())
                .jump(JumpOp.JNE, R0, 0, "done")
                .ldx(Size.DW, R1, R10, -16)
                .ldx(Size.DW, R2, R10, -8)
                .alu64(AluOp.XOR, R1, R2)
                .jump(JumpOp.JEQ, R1, -1, "done")
                .mov64(R0, (int) TORN)
                .label("done")
                .exit();
    }

    /** Pushes r1 into the bloom filter, then returns what peeking it returns (0: maybe present). */
    static ProgramBuilder bloomProgram() {
        return new ProgramBuilder()
                .stx(Size.DW, R10, -8, R1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -8)
                .mov64(R3, BPF_ANY)
                .call(MAP_PUSH_ELEM.value())
                .jump(JumpOp.JNE, R0, 0, "done")
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -8)
                .call(MAP_PEEK_ELEM.value())
                .label("done")
                .exit();
    }

    private static boolean whole16(byte[] element) {
        return (longAt(element, 0) ^ longAt(element, 8)) == -1;
    }

    private static void javaOperation(Keyed kind, JvmMap map, byte[] key, int op, int seq, int cpus) {
        byte[] value = value(seq);
        switch (op) {
            case 0, 1 -> {
                if (kind.perCpu()) {
                    map.updatePerCpu(key, Collections.nCopies(cpus, value), BPF_ANY);
                } else {
                    map.update(key, value, BPF_ANY);
                }
            }
            case 2 -> map.delete(key);
            default -> {
                if (kind.valuesWhole) {
                    values(kind, map, key).forEach(v -> assertTrue(whole(v), kind + ": torn value seen by Java"));
                } else {
                    values(kind, map, key);
                }
            }
        }
    }

    private static List<byte[]> values(Keyed kind, JvmMap map, byte[] key) {
        Optional<List<byte[]>> values = kind.perCpu() ? map.lookupPerCpu(key) : map.lookup(key).map(List::of);
        return values.orElse(List.of());
    }

    /**
     * r1 = seq << 34 | op << 32 | key. Increment adds 1 to key 0's counter; update writes {@code [0, seq, ~seq]}
     * under the key with its low bit set (never key 0); delete removes such a key; check looks a key up and returns
     * {@link #TORN} when its value is not whole.
     */
    static ProgramBuilder churnProgram(boolean lpm) {
        int keyAt = lpm ? -8 : -4;
        ProgramBuilder b = new ProgramBuilder()
                .mov64(R6, R1)
                .mov64(R7, R6).alu64(AluOp.AND, R7, KEYS - 1)
                .mov64(R8, R6).alu64(AluOp.RSH, R8, 32).alu64(AluOp.AND, R8, 3)
                .mov64(R9, R6).alu64(AluOp.RSH, R9, 34);
        if (lpm) {
            b.st(Size.W, R10, -8, 32);
        }
        b.jump(JumpOp.JEQ, R8, OP_INCREMENT, "increment")
                .jump(JumpOp.JEQ, R8, OP_CHECK, "check")
                .alu64(AluOp.OR, R7, 1)
                .stx(Size.W, R10, -4, R7)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, keyAt)
                .jump(JumpOp.JEQ, R8, OP_DELETE, "delete")
                .st(Size.DW, R10, -32, 0)
                .stx(Size.DW, R10, -24, R9)
                .alu64(AluOp.XOR, R9, -1)
                .stx(Size.DW, R10, -16, R9)
                .mov64(R3, R10).alu64(AluOp.ADD, R3, -32)
                .mov64(R4, BPF_ANY)
                .call(MAP_UPDATE_ELEM.value())
                .exit()
                .label("delete")
                .call(MAP_DELETE_ELEM.value())
                .exit()
                .label("increment")
                .st(Size.W, R10, -4, 0)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, keyAt)
                .call(MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "missing")
                .mov64(R1, 1)
                .atomic(Size.DW, AtomicOp.ADD, false, R0, 0, R1)
                .mov64(R0, 1).exit()
                .label("missing")
                .mov64(R0, 0).exit()
                .label("check")
                .stx(Size.W, R10, -4, R7)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, keyAt)
                .call(MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "missing")
                .ldx(Size.DW, R1, R0, 8)
                .ldx(Size.DW, R2, R0, 16)
                .alu64(AluOp.XOR, R1, R2)
                .jump(JumpOp.JEQ, R1, -1, "missing")
                .mov64(R0, (int) TORN).exit();
        return b;
    }

    private static byte[] value(long seq) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(seq).putLong(~seq).array();
    }

    private static boolean zero(byte[] value) {
        return longAt(value, 8) == 0 && longAt(value, 16) == 0;
    }

    private static boolean whole(byte[] value) {
        return (longAt(value, 8) ^ longAt(value, 16)) == -1;
    }

    private static long longAt(byte[] value, int offset) {
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong(offset);
    }

    static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = pool.invokeAll(tasks);
            for (Future<Void> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
