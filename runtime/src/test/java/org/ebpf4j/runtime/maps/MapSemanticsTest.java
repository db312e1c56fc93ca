package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.*;
import static org.ebpf4j.spec.MapFlags.*;
import static org.ebpf4j.spec.MapUpdateFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ebpf4j.api.MapException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Java-side semantics per map type, each failure with the errno Linux gives ({@code bpf(BPF_MAP_*)}). Where the
 * kernel's answer is from reading its sources rather than from a run, the case says so ("unchecked").
 */
class MapSemanticsTest {

    private static void assertErrno(Errno expected, Executable operation) {
        MapException e = assertThrows(MapException.class, operation);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    // ---- creation ----

    static Stream<Arguments> badCreations() {
        return Stream.of(
                Arguments.of("array key not 4 bytes", spec(MapType.ARRAY, 8, 8, 4, 0), Errno.EINVAL),
                Arguments.of("array with no entries", spec(MapType.ARRAY, 4, 8, 0, 0), Errno.EINVAL),
                Arguments.of("array with zero value", spec(MapType.ARRAY, 4, 0, 4, 0), Errno.EINVAL),
                Arguments.of("array with NO_PREALLOC", spec(MapType.ARRAY, 4, 8, 4, BPF_F_NO_PREALLOC), Errno.EINVAL),
                Arguments.of("per-CPU array, mmapable", spec(MapType.PERCPU_ARRAY, 4, 8, 4, BPF_F_MMAPABLE),
                        Errno.EINVAL),
                Arguments.of("hash with zero key", spec(MapType.HASH, 0, 8, 4, 0), Errno.EINVAL),
                Arguments.of("hash key over 512 bytes", spec(MapType.HASH, 513, 8, 4, 0), Errno.E2BIG),
                Arguments.of("hash with NO_COMMON_LRU", spec(MapType.HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU), Errno.EINVAL),
                Arguments.of("LRU with NO_PREALLOC", spec(MapType.LRU_HASH, 4, 8, 4, BPF_F_NO_PREALLOC),
                        Errno.ENOTSUPP),
                Arguments.of("RDONLY_PROG and WRONLY_PROG",
                        spec(MapType.HASH, 4, 8, 4, BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG), Errno.EINVAL),
                Arguments.of("map_extra on a hash", spec(MapType.HASH, 4, 8, 4, 0, 3), Errno.EINVAL),
                Arguments.of("queue with a key", spec(MapType.QUEUE, 4, 8, 4, 0), Errno.EINVAL),
                Arguments.of("stack with NO_PREALLOC", spec(MapType.STACK, 0, 8, 4, BPF_F_NO_PREALLOC), Errno.EINVAL),
                Arguments.of("bloom with a key", spec(MapType.BLOOM_FILTER, 4, 8, 4, 0), Errno.EINVAL),
                Arguments.of("bloom with 16 hashes", spec(MapType.BLOOM_FILTER, 0, 8, 4, 0, 16), Errno.EINVAL),
                Arguments.of("LPM without NO_PREALLOC", spec(MapType.LPM_TRIE, 8, 8, 4, 0), Errno.EINVAL),
                Arguments.of("LPM key of 4 bytes", spec(MapType.LPM_TRIE, 4, 8, 4, BPF_F_NO_PREALLOC), Errno.EINVAL),
                Arguments.of("LPM key of 261 bytes", spec(MapType.LPM_TRIE, 261, 8, 4, BPF_F_NO_PREALLOC),
                        Errno.EINVAL));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("badCreations")
    void creationIsRefusedWithTheKernelsErrno(String what, MapSpec spec, Errno errno) {
        assertErrno(errno, () -> JvmMaps.create(spec, 2));
    }

    @Test
    void unsupportedTypesNameTheType() {
        var e = assertThrows(UnsupportedOperationException.class,
                () -> JvmMaps.create(spec(MapType.SOCKMAP, 4, 4, 16, 0), 2));
        assertTrue(e.getMessage().contains("BPF_MAP_TYPE_SOCKMAP"), e.getMessage());
    }

    // ---- arrays ----

    @Test
    void arrayTable() {
        try (JvmMap m = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 4, 0), 2)) {
            assertEquals(0, asLong(m.lookup(u32(3)).orElseThrow()), "elements exist, zeroed");
            assertTrue(m.lookup(u32(4)).isEmpty(), "index out of range: ENOENT");
            m.update(u32(1), u64(7), BPF_ANY);
            m.update(u32(1), u64(8), BPF_EXIST);
            assertEquals(8, asLong(m.lookup(u32(1)).orElseThrow()));
            assertErrno(Errno.EEXIST, () -> m.update(u32(1), u64(9), BPF_NOEXIST));
            assertErrno(Errno.E2BIG, () -> m.update(u32(4), u64(9), BPF_ANY));
            assertErrno(Errno.EINVAL, () -> m.update(u32(1), u64(9), 3));
            assertErrno(Errno.EINVAL, () -> m.update(u32(1), u64(9), BPF_F_LOCK));
            assertErrno(Errno.EINVAL, () -> m.delete(u32(1)));
            // Wrong sizes are refused before the map is touched (the contract's rule for every backend).
            assertThrows(IllegalArgumentException.class, () -> m.update(u64(1), u64(9), BPF_ANY));
            assertThrows(IllegalArgumentException.class, () -> m.update(u32(1), u32(9), BPF_ANY));
        }
    }

    @Test
    void arrayNextKeyIsIndexOrder() {
        try (JvmMap m = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 3, 0), 2)) {
            assertEquals(List.of(0L, 1L, 2L), m.keys().stream().map(Specs::asLong).toList());
            assertEquals(0, asLong(m.nextKey(u32(99)).orElseThrow()), "out of range restarts at 0");
            assertTrue(m.nextKey(u32(2)).isEmpty(), "after the last: ENOENT");
        }
    }

    @Test
    void perCpuArrayHoldsOneValuePerCpu() {
        try (JvmMap m = JvmMaps.create(spec(MapType.PERCPU_ARRAY, 4, 4, 2, 0), 3)) {
            m.updatePerCpu(u32(1), List.of(u32(1), u32(2), u32(3)), BPF_ANY);
            assertEquals(List.of(1L, 2L, 3L), m.lookupPerCpu(u32(1)).orElseThrow().stream().map(Specs::asLong).toList());
            assertThrows(IllegalArgumentException.class, () -> m.updatePerCpu(u32(1), List.of(u32(1)), BPF_ANY));
            assertThrows(UnsupportedOperationException.class, () -> m.lookup(u32(1)));
        }
    }

    // ---- hashes ----

    @Test
    void hashTable() {
        try (JvmMap m = JvmMaps.create(spec(MapType.HASH, 4, 8, 2, 0), 2)) {
            assertTrue(m.lookup(u32(1)).isEmpty());
            assertErrno(Errno.ENOENT, () -> m.update(u32(1), u64(1), BPF_EXIST));
            m.update(u32(1), u64(1), BPF_NOEXIST);
            assertErrno(Errno.EEXIST, () -> m.update(u32(1), u64(2), BPF_NOEXIST));
            m.update(u32(1), u64(2), BPF_EXIST);
            m.update(u32(2), u64(3), BPF_ANY);
            assertErrno(Errno.E2BIG, () -> m.update(u32(3), u64(4), BPF_ANY));
            m.update(u32(1), u64(5), BPF_ANY); // replacing in a full map works (the kernel's extra elements)
            assertEquals(5, asLong(m.lookup(u32(1)).orElseThrow()));
            assertErrno(Errno.EINVAL, () -> m.update(u32(1), u64(1), 4 | BPF_ANY));
            assertErrno(Errno.EINVAL, () -> m.update(u32(1), u64(1), 3));
            assertTrue(m.delete(u32(1)));
            assertFalse(m.delete(u32(1)), "second delete: ENOENT");
            m.update(u32(3), u64(4), BPF_ANY); // room again
            assertEquals(2, ((HashTableMap) m).size());
        }
    }

    @Test
    void hashNextKeyIsCompleteAndRestartsFromTheFirstForAMissingKey() {
        try (JvmMap m = JvmMaps.create(spec(MapType.HASH, 4, 8, 100, 0), 2)) {
            for (int i = 0; i < 50; i++) {
                m.update(u32(i * 7), u64(i), BPF_ANY);
            }
            Set<Long> seen = new HashSet<>();
            m.keys().forEach(k -> assertTrue(seen.add(asLong(k)), "no key twice"));
            assertEquals(50, seen.size());
            byte[] first = m.nextKey(null).orElseThrow();
            assertArrayEquals(first, m.nextKey(u32(12345)).orElseThrow());
        }
    }

    @Test
    void percpuHashTable() {
        try (JvmMap m = JvmMaps.create(spec(MapType.PERCPU_HASH, 4, 8, 4, 0), 2)) {
            m.updatePerCpu(u32(1), List.of(u64(10), u64(20)), BPF_NOEXIST);
            assertEquals(List.of(10L, 20L), m.lookupPerCpu(u32(1)).orElseThrow().stream().map(Specs::asLong).toList());
            assertErrno(Errno.EEXIST, () -> m.updatePerCpu(u32(1), List.of(u64(1), u64(2)), BPF_NOEXIST));
            assertTrue(m.lookupPerCpu(u32(2)).isEmpty());
        }
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedInsteadOfFailing() {
        try (HashTableMap m = (HashTableMap) JvmMaps.create(spec(MapType.LRU_HASH, 4, 8, 4, 0), 2)) {
            for (int i = 1; i <= 4; i++) {
                m.update(u32(i), u64(i), BPF_ANY);
            }
            programLookup(m, 1); // recently used: survives
            m.update(u32(5), u64(5), BPF_ANY);
            assertEquals(4, m.size());
            assertTrue(m.lookup(u32(1)).isPresent(), "the used key survives");
            assertTrue(m.lookup(u32(5)).isPresent());
            assertTrue(m.lookup(u32(2)).isEmpty(), "the oldest unused key is evicted (kernel: approximately LRU)");
            for (int i = 10; i < 100; i++) {
                m.update(u32(i), u64(i), BPF_ANY);
                assertTrue(m.size() <= 4);
            }
        }
    }

    @Test
    void lruPercpuWithNoCommonLruIsAccepted() {
        try (JvmMap m = JvmMaps.create(spec(MapType.LRU_PERCPU_HASH, 4, 8, 4, BPF_F_NO_COMMON_LRU), 2)) {
            for (int i = 0; i < 10; i++) {
                m.updatePerCpu(u32(i), List.of(u64(i), u64(-i)), BPF_ANY);
            }
            assertEquals(4, ((HashTableMap) m).size());
            assertEquals(List.of(9L, -9L), m.lookupPerCpu(u32(9)).orElseThrow().stream().map(Specs::asLong).toList());
        }
    }

    /** A lookup as a program makes it (it marks LRU elements used; Java lookups do not, as in the kernel). */
    private static void programLookup(HashTableMap m, int key) {
        var invocation = new org.ebpf4j.runtime.Invocation();
        long k = invocation.map(org.ebpf4j.runtime.memory.Region.of("key", u32(key)));
        assertNotEquals(0, m.lookup(invocation, k));
    }

    // ---- frozen and read-only ----

    @Test
    void frozenMapsRefuseUserSpaceWrites() {
        try (JvmMap m = JvmMaps.create(spec(MapType.HASH, 4, 8, 4, 0), 2)) {
            m.update(u32(1), u64(1), BPF_ANY);
            m.freeze();
            assertErrno(Errno.EPERM, () -> m.update(u32(1), u64(2), BPF_ANY));
            assertErrno(Errno.EPERM, () -> m.delete(u32(1)));
            assertErrno(Errno.EPERM, m::freeze); // the kernel's answer, recorded in BpfMapContract
            assertEquals(1, asLong(m.lookup(u32(1)).orElseThrow()), "reads still work");
        }
    }

    @Test
    void rdonlyMapsRefuseUserSpaceWritesAndClosedMapsEverything() {
        JvmMap m = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 4, BPF_F_RDONLY), 2);
        assertErrno(Errno.EPERM, () -> m.update(u32(1), u64(2), BPF_ANY));
        m.close();
        assertErrno(Errno.EBADF, () -> m.lookup(u32(1)));
    }

    // ---- queues, stacks, bloom filters ----

    @Test
    void queueIsFifoAndStackLifo() {
        try (JvmMap q = JvmMaps.create(spec(MapType.QUEUE, 0, 4, 3, 0), 2);
             JvmMap s = JvmMaps.create(spec(MapType.STACK, 0, 4, 3, 0), 2)) {
            for (JvmMap m : List.of(q, s)) {
                for (int i = 1; i <= 3; i++) {
                    m.push(u32(i), BPF_ANY);
                }
                assertErrno(Errno.E2BIG, () -> m.push(u32(4), BPF_ANY));
                assertErrno(Errno.EINVAL, () -> m.push(u32(4), BPF_NOEXIST));
                m.push(u32(4), BPF_EXIST); // drops the oldest (1)
            }
            assertEquals(List.of(2L, 3L, 4L), drain(q));
            assertEquals(List.of(4L, 3L, 2L), drain(s));
            assertTrue(q.pop().isEmpty(), "empty: ENOENT");
            assertTrue(q.peek().isEmpty());
            assertErrno(Errno.EINVAL, () -> q.delete(new byte[0]));
            assertErrno(Errno.EINVAL, () -> q.nextKey(null));
            q.update(new byte[0], u32(9), BPF_ANY); // BPF_MAP_UPDATE_ELEM pushes
            assertEquals(9, asLong(q.lookup(new byte[0]).orElseThrow()), "BPF_MAP_LOOKUP_ELEM peeks");
        }
    }

    private static List<Long> drain(JvmMap m) {
        List<Long> out = new ArrayList<>();
        for (var v = m.pop(); v.isPresent(); v = m.pop()) {
            out.add(asLong(v.get()));
        }
        return out;
    }

    @Test
    void bloomFilterHasNoFalseNegatives() {
        try (JvmMap m = JvmMaps.create(spec(MapType.BLOOM_FILTER, 0, 8, 1000, 0, 3), 2)) {
            for (int i = 0; i < 1000; i++) {
                m.push(u64(i * 31L), BPF_ANY);
            }
            for (int i = 0; i < 1000; i++) {
                assertTrue(m.lookup(u64(i * 31L)).isPresent());
            }
            long falsePositives = java.util.stream.LongStream.range(0, 10_000)
                    .filter(i -> m.lookup(u64(-1 - i)).isPresent()).count();
            assertTrue(falsePositives < 1000, falsePositives + " false positives in 10000");
            assertErrno(Errno.EINVAL, () -> m.push(u64(1), BPF_EXIST));
            assertErrno(Errno.EOPNOTSUPP, () -> m.delete(new byte[0]));
            assertThrows(UnsupportedOperationException.class, m::pop);
        }
    }

    // ---- LPM trie ----

    @Test
    void lpmFindsTheLongestMatchingPrefix() {
        try (JvmMap m = JvmMaps.create(spec(MapType.LPM_TRIE, 8, 8, 4, BPF_F_NO_PREALLOC), 2)) {
            m.update(ipv4(8, 10, 0, 0, 0), u64(8), BPF_ANY);
            m.update(ipv4(16, 10, 1, 0, 0), u64(16), BPF_ANY);
            m.update(ipv4(24, 10, 1, 2, 99), u64(24), BPF_ANY); // bits past the prefix do not count
            m.update(ipv4(0, 0, 0, 0, 0), u64(0), BPF_ANY);
            assertEquals(24, asLong(m.lookup(ipv4(32, 10, 1, 2, 3)).orElseThrow()));
            assertEquals(16, asLong(m.lookup(ipv4(32, 10, 1, 3, 3)).orElseThrow()));
            assertEquals(8, asLong(m.lookup(ipv4(32, 10, 2, 2, 3)).orElseThrow()));
            assertEquals(0, asLong(m.lookup(ipv4(32, 11, 1, 2, 3)).orElseThrow()));
            assertEquals(16, asLong(m.lookup(ipv4(20, 10, 1, 2, 3)).orElseThrow()), "the key's prefix bounds the match");
            assertErrno(Errno.ENOSPC, () -> m.update(ipv4(32, 1, 2, 3, 4), u64(1), BPF_ANY));
            assertErrno(Errno.EEXIST, () -> m.update(ipv4(8, 10, 9, 9, 9), u64(1), BPF_NOEXIST));
            assertErrno(Errno.EINVAL, () -> m.update(ipv4(33, 10, 0, 0, 0), u64(1), BPF_ANY));
            assertErrno(Errno.EINVAL, () -> m.update(ipv4(8, 10, 0, 0, 0), u64(1), BPF_F_LOCK));
            assertTrue(m.delete(ipv4(24, 10, 1, 2, 0)));
            assertFalse(m.delete(ipv4(24, 10, 1, 2, 0)));
            assertEquals(16, asLong(m.lookup(ipv4(32, 10, 1, 2, 3)).orElseThrow()));
            assertEquals(3, m.keys().size());
        }
    }
}
