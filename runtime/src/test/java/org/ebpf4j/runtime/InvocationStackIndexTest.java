package org.ebpf4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;

/**
 * {@link Invocation#stackIndex} is the JIT's shortcut past the region table for stack accesses: it must accept exactly
 * the accesses the region table accepts in the stack frames, at the index where the table would put them.
 */
class InvocationStackIndexTest {
    private static final int[] SIZES = {1, 2, 4, 8};

    @Test
    void acceptsWhatTheRegionTableAcceptsInEveryFrame() {
        Invocation invocation = new Invocation();
        AddressSpace memory = invocation.memory();
        byte[] stack = memory.region(Invocation.framePointer(0)).array();
        int accepted = 0;
        for (int id = 0; id <= Invocation.MAX_FRAMES + 2; id++) {
            for (int offset : new int[] {-8, -1, 0, 1, 100, 504, 505, 508, 510, 511, 512, 520}) {
                for (int size : SIZES) {
                    long address = Pointer.of(id, offset);
                    int index = Invocation.stackIndex(address, size);
                    if (id >= 1 && id <= Invocation.MAX_FRAMES && tableAccepts(memory, address, size)) {
                        Region frame = memory.region(address);
                        assertSame(stack, frame.array(), "every frame lies in the one stack array");
                        assertEquals(frame.base() + offset, index, "id " + id + " offset " + offset);
                        accepted++;
                    } else {
                        assertEquals(-1, index, "id " + id + " offset " + offset + " size " + size);
                    }
                }
            }
        }
        // 8 frames; offsets 0, 1, 100, 504 take every size, 505 and 508 sizes 1-4, 510 sizes 1-2, 511 size 1.
        assertEquals(Invocation.MAX_FRAMES * (4 * 4 + 2 * 3 + 2 + 1), accepted);
    }

    private static boolean tableAccepts(AddressSpace memory, long address, int size) {
        try {
            memory.load(address, size);
            return true;
        } catch (MemoryAccessException e) {
            return false;
        }
    }
}
