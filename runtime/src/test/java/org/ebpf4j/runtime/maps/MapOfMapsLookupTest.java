package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.spec;
import static org.ebpf4j.runtime.maps.Specs.u32;
import static org.ebpf4j.spec.MapUpdateFlags.BPF_ANY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A program's lookup of a map of maps reads its key in place: the inner map's handle, NULL past the end of an array
 * or for a key a hash does not hold.
 */
class MapOfMapsLookupTest {
    private static final long KEY = Invocation.framePointer(0) - 4;

    private static MapSpec arrayOfMaps(int slots) {
        return outer(MapType.ARRAY_OF_MAPS, 4, slots);
    }

    private static MapSpec outer(MapType type, int keySize, int slots) {
        MapSpec inner = spec(MapType.ARRAY, 4, 8, 1, 0);
        return new MapSpec("outer", type, keySize, 4, slots, 0, MapPinning.NONE, 0, 0,
                Optional.of(inner), List.of(), false, 0, 0, MapSpec.Origin.BTF);
    }

    private static byte[] key6(int last) {
        return new byte[] {10, 0, 0, 1, 0, (byte) last};
    }

    @Test
    void aProgramFindsTheInnerMapOfAHashByItsKeyBytes() {
        try (JvmMap outer = JvmMaps.create(outer(MapType.HASH_OF_MAPS, 6, 4), 1);
             JvmMap first = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 1);
             JvmMap second = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 1)) {
            outer.update(key6(1), first, BPF_ANY);
            outer.update(key6(2), second, BPF_ANY);
            Invocation invocation = new Invocation();
            long key = Invocation.framePointer(0) - 8;
            long[] expected = {0, first.handle(), second.handle(), 0};
            for (int last = 0; last < expected.length; last++) {
                invocation.memory().write(key, key6(last), 0, 6);
                assertEquals(expected[last], outer.lookup(invocation, key), "key ending in " + last);
                assertEquals(expected[last] != 0, outer.lookup(key6(last)).isPresent(), "Java, key " + last);
            }
            outer.delete(key6(1));
            invocation.memory().write(key, key6(1), 0, 6);
            assertEquals(0, outer.lookup(invocation, key));
        }
    }

    @Test
    void aProgramFindsTheInnerMapsHandle() {
        try (JvmMap outer = JvmMaps.create(arrayOfMaps(4), 1);
             JvmMap inner = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 1)) {
            outer.update(u32(2), inner, BPF_ANY);
            Invocation invocation = new Invocation();
            long[] expected = {0, 0, inner.handle(), 0, 0};
            for (int index = 0; index < expected.length; index++) {
                invocation.memory().store(KEY, 4, index);
                assertEquals(expected[index], outer.lookup(invocation, KEY), "index " + index);
            }
            invocation.memory().store(KEY, 4, 0xffff_ffffL); // a u32 past the end, not -1
            assertEquals(0, outer.lookup(invocation, KEY));
            assertThrows(MemoryAccessException.class, () -> outer.lookup(invocation, 0x1234));
        }
    }

    /**
     * An array of maps allocates nothing; a hash of maps only the key object it looks its index up with (the key
     * bytes are not copied), which escape analysis does not remove: at most 32 bytes.
     */
    @ParameterizedTest
    @EnumSource(value = MapType.class, names = {"ARRAY_OF_MAPS", "HASH_OF_MAPS"})
    void aProgramsLookupsAllocateNoCopy(MapType type) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        try (JvmMap outer = JvmMaps.create(outer(type, 4, 4), 1);
             JvmMap inner = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 1)) {
            outer.update(u32(1), inner, BPF_ANY);
            Invocation invocation = new Invocation();
            invocation.memory().store(KEY, 4, 1);
            long found = 0;
            for (int i = 0; i < 20_000; i++) {
                found += outer.lookup(invocation, KEY) != 0 ? 1 : 0;
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                found += outer.lookup(invocation, KEY) != 0 ? 1 : 0;
            }
            long perLookup = (threads.getCurrentThreadAllocatedBytes() - before) / 100_000;
            assertEquals(120_000, found);
            long most = type == MapType.ARRAY_OF_MAPS ? 0 : 32;
            assertTrue(perLookup <= most, perLookup + " bytes per lookup");
        }
    }
}
