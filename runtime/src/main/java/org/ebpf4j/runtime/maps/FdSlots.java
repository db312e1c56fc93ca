package org.ebpf4j.runtime.maps;

import java.util.Optional;
import org.ebpf4j.runtime.memory.LittleEndian;

/**
 * What the kernel's fd arrays (prog arrays, arrays of maps) share with plain arrays seen from user space: 4-byte
 * index keys, ids as 4-byte values, and index order for {@code get_next_key}.
 */
final class FdSlots {
    private FdSlots() {}

    static long index(byte[] key) {
        return LittleEndian.get(key, 0, 4);
    }

    static byte[] u32(int value) {
        byte[] bytes = new byte[4];
        LittleEndian.set(bytes, 0, 4, value);
        return bytes;
    }

    /** The next index, the first for a missing or out-of-range key, none after the last. */
    static Optional<byte[]> nextIndex(byte[] key, int maxEntries) {
        long next = 0;
        if (key != null) {
            long index = index(key);
            next = index < maxEntries ? index + 1 : 0;
        }
        return next >= maxEntries ? Optional.empty() : Optional.of(u32((int) next));
    }
}
