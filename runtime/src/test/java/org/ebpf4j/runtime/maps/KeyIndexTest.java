package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.*;
import static org.ebpf4j.spec.MapUpdateFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hash maps' key index ({@link KeyIndex}): keys of every size found where programs keep them (the stack, at any
 * offset, or another map's value), walked and deleted; program lookups, updates and deletes that allocate nothing;
 * and a key whose value is replaced staying visible to lookups while the keys around it churn.
 */
class KeyIndexTest {
    private static final int ENTRIES = 100;

    /**
     * Up to {@value #ENTRIES} distinct keys of {@code size} bytes that differ in their first, a middle and their
     * last byte (all one byte for 1-byte keys).
     */
    private static List<byte[]> distinctKeys(int size) {
        Set<String> seen = new HashSet<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            byte[] k = new byte[size];
            Arrays.fill(k, (byte) 0x5a);
            k[0] ^= (byte) i;
            k[size / 2] ^= (byte) (i >>> 2);
            k[size - 1] ^= (byte) (i * 7);
            if (seen.add(Arrays.toString(k))) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** Where a program would keep a key: {@code offset} bytes below the top of its stack frame. */
    private static long onStack(Invocation invocation, byte[] key, int offset) {
        long address = Invocation.framePointer(0) - offset;
        invocation.memory().write(address, key, 0, key.length);
        return address;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 4, 5, 8, 12, 13, 16, 64, 511, 512})
    void keysOfEverySizeAreFoundWalkedAndDeleted(int size) {
        try (HashTableMap m = (HashTableMap) JvmMaps.create(spec(MapType.HASH, size, 8, ENTRIES, 0), 2);
             JvmMap holder = JvmMaps.create(spec(MapType.ARRAY, 4, 512, 1, 0), 2)) {
            List<byte[]> keys = distinctKeys(size);
            for (int i = 0; i < keys.size(); i++) {
                m.update(keys.get(i), u64(i), BPF_NOEXIST);
            }
            assertEquals(keys.size(), m.size());
            Invocation invocation = new Invocation();
            long inValue = holder.lookup(invocation, onStack(invocation, u32(0), 4));
            for (int i = 0; i < keys.size(); i++) {
                byte[] k = keys.get(i);
                assertEquals(i, asLong(m.lookup(k).orElseThrow()));
                // The stack at an odd offset (read in place) and another map's value (copied first).
                long value = m.lookup(invocation, onStack(invocation, k, Math.min(size + 3, Invocation.STACK_SIZE)));
                assertEquals(i, invocation.memory().load(value, 8));
                invocation.memory().write(inValue, k, 0, size);
                assertEquals(value, m.lookup(invocation, inValue), "key " + i);
            }
            byte[] missing = keys.getFirst().clone();
            missing[size - 1] ^= (byte) 0x81;
            if (size > 1) {
                assertEquals(0, m.lookup(invocation, onStack(invocation, missing, size)));
            }

            Set<String> walked = new HashSet<>();
            m.keys().forEach(k -> assertTrue(walked.add(Arrays.toString(k)), "walked once"));
            assertEquals(keys.stream().map(Arrays::toString).collect(java.util.stream.Collectors.toSet()), walked);

            for (int i = 0; i < keys.size(); i += 2) {
                assertEquals(0, m.delete(invocation, onStack(invocation, keys.get(i), size)));
            }
            for (int i = 0; i < keys.size(); i++) {
                assertEquals(i % 2 == 0, m.lookup(keys.get(i)).isEmpty(), "key " + i);
            }
        }
    }

    @Test
    void keysBeyondTwoGibibytesAreRefusedWithE2big() {
        // 5,000,064 slots of 512-byte keys: 2.56 GB of keys, 40 MB of values.
        MapException e = assertThrows(MapException.class,
                () -> JvmMaps.create(spec(MapType.HASH, 512, 1, 5_000_000, 0), 2));
        assertEquals(Errno.E2BIG, e.errno());
        assertTrue(e.getMessage().contains("bytes of keys"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"HASH", "PERCPU_HASH", "LRU_HASH", "LRU_PERCPU_HASH"})
    void programLookupsUpdatesAndDeletesAllocateNothing(MapType type) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeAllocationCounting(threads);
        try (HashTableMap m = (HashTableMap) JvmMaps.create(spec(type, 4, 8, 64, 0), 2)) {
            Invocation invocation = new Invocation();
            invocation.setCpu(1);
            long key = Invocation.framePointer(0) - 4;
            long value = Invocation.framePointer(0) - 16;
            churn(m, invocation, key, value, 10_000); // loads and links every class on the path first
            long before = threads.getCurrentThreadAllocatedBytes();
            churn(m, invocation, key, value, 100_000);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // Before: 48 bytes per lookup (a key copy and a key object), 96-102 per update.
            assertTrue(allocated < 100_000, type + ": " + allocated + " bytes for 400000 helper calls");
        }
    }

    private static void assumeAllocationCounting(ThreadMXBean threads) {
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "this JVM does not count allocated bytes per thread");
    }

    /** Per round: insert or replace, look up and increment, delete, insert again, over 32 keys. */
    private static void churn(HashTableMap m, Invocation invocation, long key, long value, int rounds) {
        for (int i = 0; i < rounds; i++) {
            invocation.memory().store(key, 4, i & 31);
            invocation.memory().store(value, 8, i);
            assertEquals(0, m.update(invocation, key, value, BPF_ANY));
            long pointer = m.lookup(invocation, key);
            assertNotEquals(0, pointer);
            invocation.memory().store(pointer, 8, invocation.memory().load(pointer, 8) + 1);
            assertEquals(0, m.delete(invocation, key));
            assertEquals(0, m.update(invocation, key, value, BPF_NOEXIST));
        }
    }

    @Test
    void aKeyBeingReplacedStaysVisibleWhileItsBucketsChurn() throws Exception {
        // 8 entries, so 8 buckets: the churned keys share the watched key's chain all the time.
        try (HashTableMap m = (HashTableMap) JvmMaps.create(spec(MapType.HASH, 4, 8, 8, 0), 4)) {
            byte[] watched = u32(1000);
            m.update(watched, u64(0), BPF_ANY);
            AtomicBoolean done = new AtomicBoolean();
            List<Callable<Void>> tasks = new ArrayList<>();
            tasks.add(() -> { // replaces the watched key's value: a fresh slot takes the old one's place
                for (int i = 0; i < 200_000; i++) {
                    m.update(watched, u64(i), BPF_EXIST);
                }
                done.set(true);
                return null;
            });
            tasks.add(() -> { // inserts and deletes other keys, reusing slots at once
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!done.get()) {
                    byte[] k = u32(random.nextInt(16));
                    try {
                        m.update(k, u64(1), BPF_ANY);
                    } catch (MapException e) {
                        assertEquals(Errno.E2BIG, e.errno());
                    }
                    m.delete(u32(random.nextInt(16)));
                }
                return null;
            });
            for (int t = 0; t < 2; t++) {
                int cpu = t;
                tasks.add(() -> { // programs look the watched key up
                    Invocation invocation = new Invocation();
                    invocation.setCpu(cpu);
                    long key = onStack(invocation, watched, 4);
                    while (!done.get()) {
                        assertNotEquals(0, m.lookup(invocation, key), "the watched key vanished");
                    }
                    return null;
                });
            }
            ConcurrentTasks.runAll(tasks);
            assertEquals(199_999, asLong(m.lookup(watched).orElseThrow()));
        }
    }
}
