package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.*;
import static org.ebpf4j.spec.MapUpdateFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;

/** Programs and Java callers on several threads at once: no lost increment, no exception, no overfull map. */
class MapConcurrencyTest {
    private static final int THREADS = 4;
    private static final int RUNS = 20_000;

    @Test
    void lockAddOnArrayValuesIsExactWhileHashesChurn() throws Exception {
        try (JvmMap counters = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 4, 0), THREADS);
             JvmMap hash = JvmMaps.create(spec(MapType.HASH, 4, 8, 64, 0), THREADS)) {
            Interpreter increment = MapProgramsTest.load(MapProgramsTest.atomicIncrement(1), counters);
            Interpreter count = MapProgramsTest.load(MapProgramsTest.hashCount(), hash);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int cpu = t;
                tasks.add(() -> { // programs: lock add on the array, counting into the hash
                    var inv = new Invocation();
                    inv.setCpu(cpu);
                    for (int i = 0; i < RUNS; i++) {
                        assertEquals(1, increment.run(inv, 1));
                        inv.reset();
                        long r = count.run(inv, ThreadLocalRandom.current().nextInt(128));
                        assertTrue(r == 0 || r == Errno.E2BIG.negated() || r == Errno.EEXIST.negated(), "r0 " + r);
                        inv.reset();
                    }
                    return null;
                });
                tasks.add(() -> { // Java: updates, deletes, lookups, iteration on the same hash
                    var random = ThreadLocalRandom.current();
                    for (int i = 0; i < RUNS; i++) {
                        byte[] key = u32(random.nextInt(128));
                        switch (random.nextInt(4)) {
                            case 0 -> {
                                try {
                                    hash.update(key, u64(i), BPF_ANY);
                                } catch (MapException e) {
                                    assertEquals(Errno.E2BIG, e.errno());
                                }
                            }
                            case 1 -> hash.delete(key);
                            case 2 -> hash.lookup(key).ifPresent(v -> assertEquals(8, v.length));
                            // Under churn an iteration may see a key twice (it moved to a later slot), as in
                            // the kernel; it still ends and yields only well-formed keys.
                            default -> hash.keys().forEach(k -> assertEquals(4, k.length));
                        }
                        assertTrue(((HashTableMap) hash).size() <= 64);
                    }
                    return null;
                });
            }
            ConcurrentTasks.runAll(tasks);
            assertEquals((long) THREADS * RUNS, asLong(counters.lookup(u32(1)).orElseThrow()));
            assertTrue(((HashTableMap) hash).size() <= 64);
            assertEquals(((HashTableMap) hash).size(), hash.keys().size(), "index and iteration agree at rest");
        }
    }

    @Test
    void lruNeverExceedsMaxEntriesUnderConcurrentInserts() throws Exception {
        try (HashTableMap lru = (HashTableMap) JvmMaps.create(spec(MapType.LRU_HASH, 4, 8, 100, 0), THREADS)) {
            Interpreter count = MapProgramsTest.load(MapProgramsTest.hashCount(), lru);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    var inv = new Invocation();
                    for (int i = 0; i < RUNS; i++) {
                        long r = count.run(inv, ThreadLocalRandom.current().nextInt(1000));
                        assertTrue(r == 0 || r == Errno.EEXIST.negated(), "r0 " + r);
                        assertTrue(lru.size() <= 100);
                        inv.reset();
                    }
                    return null;
                });
            }
            ConcurrentTasks.runAll(tasks);
            assertTrue(lru.size() <= 100);
            assertEquals(lru.size(), lru.keys().size());
        }
    }

    @Test
    void perCpuSlotsCountExactlyWithoutAtomicsWhenEachThreadOwnsOne() throws Exception {
        try (JvmMap m = JvmMaps.create(spec(MapType.PERCPU_HASH, 4, 8, 4, 0), THREADS)) {
            m.updatePerCpu(u32(1), java.util.Collections.nCopies(THREADS, u64(0)), BPF_ANY);
            Interpreter increment = MapProgramsTest.load(MapProgramsTest.atomicIncrement(1), m);
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int cpu = t;
                tasks.add(() -> {
                    var inv = new Invocation();
                    inv.setCpu(cpu);
                    for (int i = 0; i < RUNS; i++) {
                        increment.run(inv, cpu + 1);
                    }
                    return null;
                });
            }
            ConcurrentTasks.runAll(tasks);
            List<byte[]> values = m.lookupPerCpu(u32(1)).orElseThrow();
            for (int cpu = 0; cpu < THREADS; cpu++) {
                assertEquals((long) RUNS * (cpu + 1), asLong(values.get(cpu)));
            }
        }
    }
}
