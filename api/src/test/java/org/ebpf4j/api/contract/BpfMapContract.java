package org.ebpf4j.api.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.MapException;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link BpfMap} means, for every backend: each assertion was recorded from the Linux kernel (6.18) through
 * the Linux backend, errno for errno, so that the JVM runtime can be held to the same behaviour. Assertions that
 * may surprise a reader say so in a comment.
 *
 * <p>A backend's test extends this class and says how to get the backend; maps are created from small
 * {@link CollectionSpec}s that hold maps only.
 *
 * <p>Outside the kernel's semantics, and the same for every backend: a key or value of the wrong size is an
 * {@link IllegalArgumentException} (the kernel cannot see a Java array's length), and an operation the map's type
 * lacks in this API (per-CPU values of a shared map, push on a hash, ...) is an
 * {@link UnsupportedOperationException}.
 */
public abstract class BpfMapContract {
    private static final long ANY = 0;
    private static final long NOEXIST = 1;
    private static final long EXIST = 2;
    private static final long LOCK = 4;

    private final List<Collection> loaded = new ArrayList<>();

    /** The backend under test; may abort the test (JUnit assumption) where the backend is unavailable. */
    protected abstract Backend backend();

    /** How many values a per-CPU map holds per key on this backend. */
    protected abstract int possibleCpus();

    @AfterEach
    void closeMaps() {
        loaded.forEach(Collection::close);
        loaded.clear();
    }

    // ---- HASH -------------------------------------------------------------------------------------------------

    @Test
    void hashLookupOfAMissingKeyIsEmpty() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        assertTrue(map.lookup(u32(1)).isEmpty());
    }

    @Test
    void hashUpdateWithAnyInsertsThenReplaces() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        map.update(u32(1), u64(10), ANY);
        map.update(u32(1), u64(11), ANY);
        assertArrayEquals(u64(11), map.lookup(u32(1)).orElseThrow());
    }

    @Test
    void hashNoexistOnAnExistingKeyIsEexist() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        map.update(u32(1), u64(10), NOEXIST);
        assertErrno(Errno.EEXIST, () -> map.update(u32(1), u64(11), NOEXIST));
        assertArrayEquals(u64(10), map.lookup(u32(1)).orElseThrow());
    }

    @Test
    void hashExistOnAMissingKeyIsEnoent() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        assertErrno(Errno.ENOENT, () -> map.update(u32(1), u64(10), EXIST));
        map.update(u32(1), u64(10), ANY);
        map.update(u32(1), u64(12), EXIST);
        assertArrayEquals(u64(12), map.lookup(u32(1)).orElseThrow());
    }

    @Test
    void hashUpdateWithUnknownFlagsIsEinval() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        assertErrno(Errno.EINVAL, () -> map.update(u32(1), u64(10), 3));
        assertErrno(Errno.EINVAL, () -> map.update(u32(1), u64(10), 8));
    }

    @Test
    void lockFlagWithoutASpinLockInTheValueIsEinval() {
        // These maps have no BTF, so no bpf_spin_lock: BPF_F_LOCK is EINVAL for updates and lookups, and lookup
        // flags other than BPF_F_LOCK are EINVAL too.
        for (MapType type : List.of(MapType.HASH, MapType.ARRAY)) {
            BpfMap map = map(type, 4, 8, 4);
            map.update(u32(1), u64(10), ANY);
            assertErrno(Errno.EINVAL, () -> map.update(u32(1), u64(11), LOCK));
            assertErrno(Errno.EINVAL, () -> map.update(u32(1), u64(11), EXIST | LOCK));
            assertErrno(Errno.EINVAL, () -> map.lookup(u32(1), LOCK));
            assertErrno(Errno.EINVAL, () -> map.lookup(u32(1), 2));
            assertArrayEquals(u64(10), map.lookup(u32(1), 0).orElseThrow());
        }
    }

    @Test
    void fullHashRefusesANewKeyWithE2bigButStillReplacesExistingOnes() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        for (int k = 0; k < 4; k++) {
            map.update(u32(k), u64(k), ANY);
        }
        assertErrno(Errno.E2BIG, () -> map.update(u32(4), u64(4), ANY));
        // Replacing needs a fresh element while the old one is still visible; the kernel keeps spare ones for it.
        map.update(u32(2), u64(20), ANY);
        map.update(u32(3), u64(30), EXIST);
        assertArrayEquals(u64(20), map.lookup(u32(2)).orElseThrow());
        assertEquals(4, map.keys().size());
    }

    @Test
    void hashDeleteSaysWhetherTheKeyWasThere() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        map.update(u32(1), u64(10), ANY);
        assertTrue(map.delete(u32(1)));
        assertFalse(map.delete(u32(1)));
        assertTrue(map.lookup(u32(1)).isEmpty());
    }

    @Test
    void hashIterationVisitsEveryKeyOnce() {
        BpfMap map = map(MapType.HASH, 4, 8, 16);
        Set<Integer> inserted = Set.of(3, 17, 99, 1000, 65536, -1);
        inserted.forEach(k -> map.update(u32(k), u64(k), ANY));
        List<byte[]> keys = map.keys();
        Set<Integer> seen = new HashSet<>();
        keys.forEach(k -> seen.add(readU32(k)));
        assertEquals(inserted.size(), keys.size());
        assertEquals(inserted, seen);
    }

    @Test
    void hashNextKeyOfAMissingKeyStartsOver() {
        // Surprising: not ENOENT. The kernel restarts from the first key, so an iteration whose current key was
        // deleted meanwhile starts again instead of failing.
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        map.update(u32(7), u64(7), ANY);
        assertArrayEquals(u32(7), map.nextKey(u32(12345)).orElseThrow());
        assertArrayEquals(u32(7), map.nextKey(null).orElseThrow());
        assertTrue(map.nextKey(u32(7)).isEmpty());
    }

    @Test
    void emptyHashHasNoFirstKey() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        assertTrue(map.nextKey(null).isEmpty());
        assertTrue(map.keys().isEmpty());
    }

    @Test
    void hashWithZeroByteKeysIsRefusedAtLoad() {
        BpfException e = assertThrows(BpfException.class, () -> map(MapType.HASH, 0, 8, 4));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
    }

    // ---- ARRAY ------------------------------------------------------------------------------------------------

    @Test
    void arrayElementsExistFromTheStartAsZeros() {
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(new byte[8], map.lookup(u32(i)).orElseThrow());
        }
    }

    @Test
    void arrayLookupOutOfRangeIsEmpty() {
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        assertTrue(map.lookup(u32(4)).isEmpty());
        assertTrue(map.lookup(u32(-1)).isEmpty());
    }

    @Test
    void arrayUpdateOutOfRangeIsE2big() {
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        assertErrno(Errno.E2BIG, () -> map.update(u32(4), u64(1), ANY));
    }

    @Test
    void arrayNoexistIsAlwaysEexistBecauseEveryElementExists() {
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        assertErrno(Errno.EEXIST, () -> map.update(u32(0), u64(1), NOEXIST));
        map.update(u32(0), u64(1), EXIST);
        assertArrayEquals(u64(1), map.lookup(u32(0)).orElseThrow());
    }

    @Test
    void arrayDeleteIsEinval() {
        // Array elements cannot be removed; even a key out of range gives EINVAL, not ENOENT.
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        assertErrno(Errno.EINVAL, () -> map.delete(u32(0)));
        assertErrno(Errno.EINVAL, () -> map.delete(u32(99)));
    }

    @Test
    void arrayIteratesByIndex() {
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        List<Integer> order = map.keys().stream().map(BpfMapContract::readU32).toList();
        assertEquals(List.of(0, 1, 2, 3), order);
        assertTrue(map.nextKey(u32(3)).isEmpty());
    }

    @Test
    void arrayNextKeyOfAnIndexOutOfRangeStartsOver() {
        // Surprising, as for hashes: an index past the end is "not found", and the kernel answers the first index.
        BpfMap map = map(MapType.ARRAY, 4, 8, 4);
        assertArrayEquals(u32(0), map.nextKey(u32(4)).orElseThrow());
        assertArrayEquals(u32(0), map.nextKey(u32(-1)).orElseThrow());
    }

    // ---- PERCPU_HASH, PERCPU_ARRAY ----------------------------------------------------------------------------

    @Test
    void perCpuArrayHoldsOneValuePerPossibleCpu() {
        // 4-byte values: the kernel pads each CPU's slot to 8 bytes, which the API hides.
        BpfMap map = map(MapType.PERCPU_ARRAY, 4, 4, 2);
        List<byte[]> zeros = map.lookupPerCpu(u32(1)).orElseThrow();
        assertEquals(possibleCpus(), zeros.size());
        zeros.forEach(v -> assertArrayEquals(new byte[4], v));
        List<byte[]> values = perCpuValues(4);
        map.updatePerCpu(u32(1), values, ANY);
        assertPerCpuEquals(values, map.lookupPerCpu(u32(1)).orElseThrow());
        assertTrue(map.lookupPerCpu(u32(2)).isEmpty());
    }

    @Test
    void perCpuHashHoldsOneValuePerPossibleCpu() {
        BpfMap map = map(MapType.PERCPU_HASH, 4, 12, 4);
        assertTrue(map.lookupPerCpu(u32(5)).isEmpty());
        List<byte[]> values = perCpuValues(12);
        map.updatePerCpu(u32(5), values, NOEXIST);
        assertPerCpuEquals(values, map.lookupPerCpu(u32(5)).orElseThrow());
        assertErrno(Errno.EEXIST, () -> map.updatePerCpu(u32(5), values, NOEXIST));
        assertTrue(map.delete(u32(5)));
        assertTrue(map.lookupPerCpu(u32(5)).isEmpty());
    }

    @Test
    void perCpuMapsTakeOnlyPerCpuValues() {
        BpfMap map = map(MapType.PERCPU_HASH, 4, 8, 4);
        assertThrows(UnsupportedOperationException.class, () -> map.lookup(u32(1)));
        assertThrows(UnsupportedOperationException.class, () -> map.update(u32(1), u64(1), ANY));
        assertThrows(IllegalArgumentException.class,
                () -> map.updatePerCpu(u32(1), List.of(u64(1)).subList(0, 0), ANY));
        BpfMap shared = map(MapType.HASH, 4, 8, 4);
        assertThrows(UnsupportedOperationException.class, () -> shared.lookupPerCpu(u32(1)));
    }

    // ---- LRU_HASH ---------------------------------------------------------------------------------------------

    @Test
    void lruHashEvictsInsteadOfFailingWhenFull() {
        BpfMap map = map(MapType.LRU_HASH, 4, 8, 8);
        for (int k = 0; k < 64; k++) {
            map.update(u32(k), u64(k), ANY);
        }
        int size = map.keys().size();
        assertTrue(size > 0 && size <= 8, "an LRU hash holds at most max_entries keys, not " + size);
        assertArrayEquals(u64(63), map.lookup(u32(63)).orElseThrow(), "the key just inserted is there");
    }

    @Test
    void lruHashKeepsTheUpdateFlagsOfAHash() {
        BpfMap map = map(MapType.LRU_HASH, 4, 8, 8);
        map.update(u32(1), u64(1), NOEXIST);
        assertErrno(Errno.EEXIST, () -> map.update(u32(1), u64(2), NOEXIST));
        assertErrno(Errno.ENOENT, () -> map.update(u32(2), u64(2), EXIST));
    }

    // ---- QUEUE, STACK -----------------------------------------------------------------------------------------

    @Test
    void queueIsFirstInFirstOut() {
        BpfMap queue = map(MapType.QUEUE, 0, 4, 3);
        for (int v = 1; v <= 3; v++) {
            queue.push(u32(v), ANY);
        }
        assertArrayEquals(u32(1), queue.peek().orElseThrow());
        assertEquals(List.of(1, 2, 3), popAll(queue));
        assertTrue(queue.pop().isEmpty());
        assertTrue(queue.peek().isEmpty());
    }

    @Test
    void stackIsLastInFirstOut() {
        BpfMap stack = map(MapType.STACK, 0, 4, 3);
        for (int v = 1; v <= 3; v++) {
            stack.push(u32(v), ANY);
        }
        assertArrayEquals(u32(3), stack.peek().orElseThrow());
        assertEquals(List.of(3, 2, 1), popAll(stack));
    }

    @Test
    void fullQueuePushIsE2bigUnlessExistReplacesTheOldest() {
        BpfMap queue = map(MapType.QUEUE, 0, 4, 3);
        for (int v = 1; v <= 3; v++) {
            queue.push(u32(v), ANY);
        }
        assertErrno(Errno.E2BIG, () -> queue.push(u32(4), ANY));
        queue.push(u32(4), EXIST);
        assertEquals(List.of(2, 3, 4), popAll(queue));
    }

    @Test
    void fullStackPushWithExistAlsoDropsTheOldest() {
        // The oldest element is the bottom of the stack, not its top: the top stays the value just pushed.
        BpfMap stack = map(MapType.STACK, 0, 4, 3);
        for (int v = 1; v <= 3; v++) {
            stack.push(u32(v), ANY);
        }
        stack.push(u32(4), EXIST);
        assertEquals(List.of(4, 3, 2), popAll(stack));
    }

    @Test
    void queuePushWithNoexistIsEinval() {
        BpfMap queue = map(MapType.QUEUE, 0, 4, 3);
        assertErrno(Errno.EINVAL, () -> queue.push(u32(1), NOEXIST));
    }

    @Test
    void queuesHaveNoKeys() {
        BpfMap queue = map(MapType.QUEUE, 0, 4, 3);
        queue.push(u32(1), ANY);
        assertErrno(Errno.EINVAL, () -> queue.delete(new byte[0]));
        assertErrno(Errno.EINVAL, () -> queue.nextKey(null));
        BpfMap hash = map(MapType.HASH, 4, 4, 3);
        assertThrows(UnsupportedOperationException.class, () -> hash.push(u32(1), ANY));
        assertThrows(UnsupportedOperationException.class, hash::pop);
        assertThrows(UnsupportedOperationException.class, hash::peek);
    }

    // ---- LPM_TRIE ---------------------------------------------------------------------------------------------

    @Test
    void lpmTrieFindsTheLongestMatchingPrefix() {
        BpfMap trie = lpmTrie();
        trie.update(prefix(8, 10, 0, 0, 0), u32(1), ANY);
        trie.update(prefix(16, 10, 1, 0, 0), u32(2), ANY);
        trie.update(prefix(0, 0, 0, 0, 0), u32(3), ANY);
        assertArrayEquals(u32(2), trie.lookup(prefix(32, 10, 1, 2, 3)).orElseThrow());
        assertArrayEquals(u32(1), trie.lookup(prefix(32, 10, 2, 0, 0)).orElseThrow());
        assertArrayEquals(u32(3), trie.lookup(prefix(32, 11, 0, 0, 0)).orElseThrow());
        // A lookup prefix shorter than the stored one does not match it: 10.1/16 does not cover 10/12.
        assertArrayEquals(u32(1), trie.lookup(prefix(12, 10, 1, 0, 0)).orElseThrow());
    }

    @Test
    void lpmTrieWithoutADefaultRouteMissesOtherAddresses() {
        BpfMap trie = lpmTrie();
        trie.update(prefix(8, 10, 0, 0, 0), u32(1), ANY);
        assertTrue(trie.lookup(prefix(32, 192, 168, 0, 1)).isEmpty());
    }

    @Test
    void lpmTrieDeletesExactPrefixesOnly() {
        BpfMap trie = lpmTrie();
        trie.update(prefix(16, 10, 1, 0, 0), u32(2), ANY);
        assertFalse(trie.delete(prefix(24, 10, 1, 2, 0)));
        assertFalse(trie.delete(prefix(8, 10, 0, 0, 0)));
        assertTrue(trie.delete(prefix(16, 10, 1, 0, 0)));
        assertTrue(trie.lookup(prefix(32, 10, 1, 2, 3)).isEmpty());
    }

    @Test
    void lpmTrieUpdateFlagsAndPrefixLimits() {
        BpfMap trie = lpmTrie();
        trie.update(prefix(16, 10, 1, 0, 0), u32(2), NOEXIST);
        assertErrno(Errno.EEXIST, () -> trie.update(prefix(16, 10, 1, 0, 0), u32(3), NOEXIST));
        assertErrno(Errno.ENOENT, () -> trie.update(prefix(24, 10, 1, 2, 0), u32(3), EXIST));
        assertErrno(Errno.EINVAL, () -> trie.update(prefix(33, 10, 1, 2, 0), u32(3), ANY));
    }

    @Test
    void lpmTrieIteratesEveryPrefix() {
        BpfMap trie = lpmTrie();
        List<byte[]> prefixes = List.of(prefix(8, 10, 0, 0, 0), prefix(16, 10, 1, 0, 0), prefix(24, 10, 1, 2, 0),
                prefix(16, 172, 16, 0, 0));
        prefixes.forEach(p -> trie.update(p, u32(1), ANY));
        Set<String> seen = new HashSet<>();
        trie.keys().forEach(k -> seen.add(java.util.HexFormat.of().formatHex(k)));
        Set<String> expected = new HashSet<>();
        prefixes.forEach(p -> expected.add(java.util.HexFormat.of().formatHex(p)));
        assertEquals(expected, seen);
    }

    @Test
    void lpmTrieMustBeCreatedWithoutPreallocation() {
        // BPF_F_NO_PREALLOC is mandatory for LPM tries; without it the kernel refuses the map.
        BpfException e = assertThrows(BpfException.class, () -> map(MapType.LPM_TRIE, 8, 4, 16, 0, 0));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
    }

    // ---- BLOOM_FILTER -----------------------------------------------------------------------------------------

    @Test
    void bloomFilterContainsWhatWasPushed() {
        BpfMap bloom = map(MapType.BLOOM_FILTER, 0, 4, 100, 0, 3);
        bloom.push(u32(42), ANY);
        bloom.push(u32(7), ANY);
        assertTrue(bloom.contains(u32(42)));
        assertTrue(bloom.contains(u32(7)));
        // A false positive is possible in principle; with 2 values in ~1000 bits and 3 hashes it is ~1e-7.
        assertFalse(bloom.contains(u32(43)));
    }

    @Test
    void bloomFilterCannotDeleteOrIterate() {
        BpfMap bloom = map(MapType.BLOOM_FILTER, 0, 4, 100, 0, 3);
        bloom.push(u32(1), ANY);
        assertErrno(Errno.EOPNOTSUPP, () -> bloom.delete(new byte[0]));
        assertErrno(Errno.EOPNOTSUPP, () -> bloom.nextKey(null));
        assertErrno(Errno.EINVAL, () -> bloom.push(u32(2), NOEXIST));
        assertThrows(UnsupportedOperationException.class, bloom::pop);
        assertThrows(UnsupportedOperationException.class, () -> map(MapType.HASH, 4, 4, 1).contains(u32(1)));
    }

    @Test
    void bloomFilterWithAKeyIsRefusedAtLoad() {
        BpfException e = assertThrows(BpfException.class, () -> map(MapType.BLOOM_FILTER, 4, 4, 100, 0, 3));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
    }

    // ---- freezing, sizes --------------------------------------------------------------------------------------

    @Test
    void frozenMapsRefuseUpdatesFromUserSpaceWithEperm() {
        BpfMap array = map(MapType.ARRAY, 4, 8, 2);
        array.update(u32(0), u64(5), ANY);
        array.freeze();
        assertErrno(Errno.EPERM, () -> array.update(u32(0), u64(6), ANY));
        assertArrayEquals(u64(5), array.lookup(u32(0)).orElseThrow());
        BpfMap hash = map(MapType.HASH, 4, 8, 2);
        hash.update(u32(0), u64(5), ANY);
        hash.freeze();
        assertErrno(Errno.EPERM, () -> hash.update(u32(1), u64(6), ANY));
        assertErrno(Errno.EPERM, () -> hash.delete(u32(0)));
    }

    @Test
    void freezingTwiceIsEperm() {
        // Surprising: not EBUSY, which the kernel keeps for a map that is already frozen. Freezing takes away
        // user space's write permission first, and a second freeze fails that permission check (EPERM).
        BpfMap array = map(MapType.ARRAY, 4, 8, 2);
        array.freeze();
        assertErrno(Errno.EPERM, array::freeze);
    }

    @Test
    void keysAndValuesOfTheWrongSizeAreRefusedBeforeTheBackendSeesThem() {
        BpfMap map = map(MapType.HASH, 4, 8, 4);
        assertThrows(IllegalArgumentException.class, () -> map.lookup(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> map.update(new byte[5], u64(1), ANY));
        assertThrows(IllegalArgumentException.class, () -> map.update(u32(1), new byte[7], ANY));
        assertThrows(IllegalArgumentException.class, () -> map.delete(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> map.nextKey(new byte[2]));
        BpfMap queue = map(MapType.QUEUE, 0, 4, 2);
        assertThrows(IllegalArgumentException.class, () -> queue.push(new byte[8], ANY));
    }

    @Test
    void mapsDescribeThemselvesAsCreated() {
        BpfMap map = map(MapType.LPM_TRIE, 8, 4, 16, MapFlags.BPF_F_NO_PREALLOC, 0);
        assertEquals(MapType.LPM_TRIE, map.type());
        assertEquals(8, map.keySize());
        assertEquals(4, map.valueSize());
        assertEquals(16, map.maxEntries());
        assertEquals(MapFlags.BPF_F_NO_PREALLOC, map.flags());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A map created by the backend from a one-map collection, closed after the test. */
    protected BpfMap map(MapType type, int keySize, int valueSize, int maxEntries) {
        return map(type, keySize, valueSize, maxEntries, 0, 0);
    }

    protected BpfMap map(MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra) {
        String name = "contract_" + type.name().toLowerCase(java.util.Locale.ROOT);
        MapSpec spec = new MapSpec(name, type, keySize, valueSize, maxEntries, flags, MapPinning.NONE, 0, mapExtra,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF);
        CollectionSpec collection = new CollectionSpec("contract", Map.of(), Map.of(name, spec), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
        Collection c = backend().load(collection);
        loaded.add(c);
        return c.map(name);
    }

    private BpfMap lpmTrie() {
        return map(MapType.LPM_TRIE, 8, 4, 16, MapFlags.BPF_F_NO_PREALLOC, 0);
    }

    /** An LPM key: the prefix length (host order) and an IPv4 address (network order). */
    private static byte[] prefix(int length, int a, int b, int c, int d) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(length)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    private List<byte[]> perCpuValues(int size) {
        List<byte[]> values = new ArrayList<>();
        for (int cpu = 0; cpu < possibleCpus(); cpu++) {
            byte[] v = new byte[size];
            java.util.Arrays.fill(v, (byte) (cpu + 1));
            values.add(v);
        }
        return values;
    }

    private static void assertPerCpuEquals(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "CPU " + i);
        }
    }

    private static List<Integer> popAll(BpfMap map) {
        List<Integer> values = new ArrayList<>();
        for (Optional<byte[]> v = map.pop(); v.isPresent(); v = map.pop()) {
            values.add(readU32(v.get()));
        }
        return values;
    }

    private static void assertErrno(Errno expected, Runnable operation) {
        MapException e = assertThrows(MapException.class, operation::run);
        assertEquals(expected, e.errno(), e.getMessage());
    }

    protected static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    protected static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    protected static int readU32(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
