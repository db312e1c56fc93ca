package org.ebpf4j.runtime.maps;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.SpinLockHelpers;
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
    /** {@link #write}'s {@code cpu} for a source holding every CPU's value. */
    static final int ALL_CPUS = -1;

    final int valueSize;
    final int stride;
    final int cpus;
    final MemorySegment segment;
    /** The offset of the value's bpf_spin_lock, or {@link SpinLockField#NONE}. */
    final int lockOffset;
    private final int regionId;
    private final String regionName;
    /** The lock word as the programs' bpf_spin_lock sees it: 4 bytes, 0 when free (native order: 0 either way). */
    private static final VarHandle LOCK_WORD = ValueLayout.JAVA_INT.varHandle();

    ValueStorage(String mapName, int valueSize, int cpus, long slots, boolean programsMayWrite) {
        this(mapName, valueSize, cpus, slots, programsMayWrite, SpinLockField.NONE);
    }

    ValueStorage(String mapName, int valueSize, int cpus, long slots, boolean programsMayWrite, int lockOffset) {
        if (lockOffset != SpinLockField.NONE && (cpus != 1 || lockOffset % 4 != 0
                || lockOffset + SpinLockField.SIZE > valueSize)) {
            throw new IllegalArgumentException("map '" + mapName + "': a lock at " + lockOffset + " in values of "
                    + valueSize + " bytes (" + cpus + " per element)");
        }
        this.lockOffset = lockOffset;
        this.valueSize = valueSize;
        this.stride = (valueSize + 7) & ~7;
        this.cpus = cpus;
        long bytes = slots * cpus * stride;
        if (bytes > Integer.MAX_VALUE - 8) {
            // A region is at most 2 GiB (its offsets are the low half of a pointer).
            throw new MapException(mapName, "create (" + bytes + " bytes of values)", Errno.E2BIG);
        }
        Region shared = Region.shared("map '" + mapName + "' values", (int) bytes);
        this.regionName = shared.name();
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

    /** A copy of a value for user space: its lock, if any, reads as zero. */
    byte[] read(int slot, int cpu) {
        byte[] value = new byte[valueSize];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(slot, cpu), value, 0, valueSize);
        if (lockOffset != SpinLockField.NONE) {
            java.util.Arrays.fill(value, lockOffset, lockOffset + SpinLockField.SIZE, (byte) 0);
        }
        return value;
    }

    /** {@link #read} under the value's lock (BPF_F_LOCK lookups; the map has a lock). */
    byte[] readLocked(int slot) {
        long lock = lock(slot);
        try {
            return read(slot, 0);
        } finally {
            unlock(lock);
        }
    }

    /** Writes a non-per-CPU value (at {@code offset} of {@code source}) under its lock, every byte but the lock's. */
    void writeLocked(int slot, byte[] source, int offset) {
        long lock = lock(slot);
        try {
            copyAroundLock(source, offset, offset(slot, 0));
        } finally {
            unlock(lock);
        }
    }

    List<byte[]> readAll(int slot) {
        List<byte[]> values = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            values.add(read(slot, cpu));
        }
        return values;
    }

    /**
     * Writes an element's value for {@code cpu} (0 in maps that are not per-CPU) from {@code offset} of
     * {@code source}, or with {@link #ALL_CPUS} every CPU's, one value after the other in {@code source}.
     * {@code fresh}: the element is new, so a value with a lock gets a free lock, and a per-CPU element written for
     * one CPU starts with zeroes on the others, as the kernel's pcpu_init_value does.
     */
    void write(int slot, byte[] source, int offset, int cpu, boolean fresh) {
        long base = offset(slot, 0);
        if (lockOffset != SpinLockField.NONE) {
            // Values with a lock are never per-CPU (the constructor's check).
            copyAroundLock(source, offset, base);
            if (fresh) {
                segment.set(ValueLayout.JAVA_INT, base + lockOffset, 0);
            }
        } else if (cpu == ALL_CPUS) {
            for (int c = 0; c < cpus; c++) {
                MemorySegment.copy(source, offset + c * valueSize, segment, ValueLayout.JAVA_BYTE,
                        base + (long) c * stride, valueSize);
            }
        } else {
            if (fresh && cpus > 1) {
                // No slice: this runs on the programs' update path, which allocates nothing.
                for (long at = base, end = base + (long) cpus * stride; at < end; at += 8) {
                    segment.set(ValueLayout.JAVA_LONG, at, 0);
                }
            }
            MemorySegment.copy(source, offset, segment, ValueLayout.JAVA_BYTE, base + (long) cpu * stride,
                    valueSize);
        }
    }

    /** {@code values}, one per CPU, one after the other: the source of a {@link #write} to {@link #ALL_CPUS}. */
    static byte[] concat(List<byte[]> values) {
        int size = values.isEmpty() ? 0 : values.getFirst().length;
        byte[] all = new byte[values.size() * size];
        for (int c = 0; c < values.size(); c++) {
            System.arraycopy(values.get(c), 0, all, c * size, size);
        }
        return all;
    }

    private void copyAroundLock(byte[] source, int offset, long base) {
        MemorySegment.copy(source, offset, segment, ValueLayout.JAVA_BYTE, base, lockOffset);
        int after = lockOffset + SpinLockField.SIZE;
        MemorySegment.copy(source, offset + after, segment, ValueLayout.JAVA_BYTE, base + after, valueSize - after);
    }

    /** Takes the lock of an element's value as {@code bpf_spin_lock} does; returns its offset in the segment. */
    private long lock(int slot) {
        long lock = offset(slot, 0) + lockOffset;
        SpinLockHelpers.acquire(() -> (int) LOCK_WORD.compareAndExchange(segment, lock, 0, 1) == 0,
                () -> "offset " + lock + " of " + regionName);
        return lock;
    }

    private void unlock(long lock) {
        LOCK_WORD.setVolatile(segment, lock, 0);
    }

    void release() {
        SharedRegions.release(regionId);
    }
}
