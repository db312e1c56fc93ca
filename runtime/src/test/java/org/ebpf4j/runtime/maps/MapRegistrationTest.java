package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;

/** A map gets its id only once it is built: a map its constructor refused leaves nothing in the registry. */
class MapRegistrationTest {
    @Test
    void aMapRefusedWhileBeingBuiltTakesNoId() {
        try (JvmMap before = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 1)) {
            // Refused by the hash table's own constructor (2.56 GB of keys), after the checks JvmMaps runs first.
            MapException refused = assertThrows(MapException.class,
                    () -> JvmMaps.create(spec(MapType.HASH, 512, 1, 5_000_000, 0), 1));
            assertEquals(Errno.E2BIG, refused.errno());
            long next = Pointer.of(Pointer.MAP_HANDLE_REGION, before.id() + 1);
            MemoryAccessException none = assertThrows(MemoryAccessException.class, () -> JvmMap.ofHandle(next));
            assertTrue(none.getMessage().contains("not the handle of an open map"), none.getMessage());
            try (JvmMap after = JvmMaps.create(spec(MapType.ARRAY, 4, 8, 1, 0), 1)) {
                assertEquals(before.id() + 1, after.id(), "the refused map used up an id");
                assertEquals(after, JvmMap.ofHandle(after.handle()));
            }
        }
    }

    @Test
    void aClosedMapsHandleResolvesNoLonger() {
        JvmMap map = JvmMaps.create(spec(MapType.HASH, 4, 8, 4, 0), 1);
        long handle = map.handle();
        assertEquals(map, JvmMap.ofHandle(handle));
        map.close();
        assertThrows(MemoryAccessException.class, () -> JvmMap.ofHandle(handle));
    }
}
