package org.ebpf4j.runtime.helpers;

import java.io.ByteArrayOutputStream;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;

/** How helpers size and read their buffer arguments. */
final class HelperMemory {
    private HelperMemory() {}

    /** A buffer for a helper's size argument: a fault for more than any region holds. */
    static byte[] buffer(long size, String helper) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new MemoryAccessException(helper + ": size " + Long.toUnsignedString(size) + " is larger than any"
                    + " region");
        }
        return new byte[(int) size];
    }

    /**
     * The bytes of the NUL-terminated string at {@code address}, without the NUL, at most {@code limit} of them
     * (then the string is cut there); {@link MemoryAccessException} when it leaves its region before a NUL.
     */
    static byte[] string(AddressSpace memory, long address, int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < limit; i++) {
            int b = (int) memory.load(address + i, 1);
            if (b == 0) {
                break;
            }
            out.write(b);
        }
        return out.toByteArray();
    }
}
