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

/** A program's array-of-maps lookup reads its u32 index in place: the inner map's handle, NULL past the end. */
class MapOfMapsLookupTest {
    private static final long KEY = Invocation.framePointer(0) - 4;

    private static MapSpec arrayOfMaps(int slots) {
        MapSpec inner = spec(MapType.ARRAY, 4, 8, 1, 0);
        return new MapSpec("outer", MapType.ARRAY_OF_MAPS, 4, 4, slots, 0, MapPinning.NONE, 0, 0,
                Optional.of(inner), List.of(), false, 0, 0, MapSpec.Origin.BTF);
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

    @Test
    void aProgramsLookupsAllocateNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        try (JvmMap outer = JvmMaps.create(arrayOfMaps(4), 1);
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
            assertTrue(perLookup < 8, perLookup + " bytes per lookup");
        }
    }
}
