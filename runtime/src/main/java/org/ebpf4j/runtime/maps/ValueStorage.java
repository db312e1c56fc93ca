package org.ebpf4j.runtime.maps;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.runtime.memory.SharedRegions;
import org.ebpf4j.spec.Errno;

/**
 * The value memory of a map: {@code slots} elements of {@code cpus} values each, every value 8-byte aligned
 * ({@code stride} = value size rounded up to 8, as the kernel lays out array and per-CPU values), in one shared
 * segment region so that atomic instructions on values are the hardware's and pointers work in every invocation.
 */
final class ValueStorage {
    final int valueSize;
    final int stride;
    final int cpus;
    final MemorySegment segment;
    private final int regionId;

    ValueStorage(String mapName, int valueSize, int cpus, long slots, boolean programsMayWrite) {
        this.valueSize = valueSize;
        this.stride = (valueSize + 7) & ~7;
        this.cpus = cpus;
        long bytes = slots * cpus * stride;
        if (bytes > Integer.MAX_VALUE - 8) {
            // A region is at most 2 GiB (its offsets are the low half of a pointer).
            throw new MapException(mapName, "create (" + bytes + " bytes of values)", Errno.E2BIG);
        }
        Region shared = Region.shared("map '" + mapName + "' values", (int) bytes);
        Region region = programsMayWrite ? shared : Region.of(shared.name(), shared.segment(), false);
        this.segment = shared.segment();
        this.regionId = SharedRegions.register(region);
    }

    /** Byte offset of an element's value for one CPU. */
    long offset(int slot, int cpu) {
        return ((long) slot * cpus + cpu) * stride;
    }

    /** The BPF pointer to an element's value for one CPU. */
    long pointer(int slot, int cpu) {
        return Pointer.of(regionId, (int) offset(slot, cpu));
    }

    byte[] read(int slot, int cpu) {
        byte[] value = new byte[valueSize];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(slot, cpu), value, 0, valueSize);
        return value;
    }

    List<byte[]> readAll(int slot) {
        List<byte[]> values = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.add(read(slot, cpu));
        }
        return values;
    }

    void write(int slot, NewValue value, boolean fresh) {
        value.writeTo(segment, offset(slot, 0), stride, cpus, fresh);
    }

    void release() {
        SharedRegions.release(regionId);
    }
}
