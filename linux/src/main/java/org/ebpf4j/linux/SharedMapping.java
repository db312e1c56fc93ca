package org.ebpf4j.linux;

import java.lang.foreign.MemorySegment;

/** {@code mmap(MAP_SHARED)} of a kernel object's fd (a ring buffer map, a perf event) and its undoing. */
final class SharedMapping {
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;

    private SharedMapping() {}

    static MemorySegment map(String name, Fd fd, long length, int protection, long offset) {
        Syscalls.Result mapped = Libc.MMAP.call(MemorySegment.NULL, length, protection, MAP_SHARED, fd.value(),
                offset);
        if (mapped.failed()) {
            throw new LinuxAttachException("mmap of " + name + " at offset " + offset, mapped.errno());
        }
        return MemorySegment.ofAddress(mapped.value()).reinterpret(length);
    }

    static void unmap(MemorySegment mapping) {
        Libc.MUNMAP.call(mapping, mapping.byteSize());
    }

    static long pageSize() {
        return Libc.GETPAGESIZE.call().value();
    }
}
