package org.ebpf4j.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.ebpf4j.isa.AtomicOp;

/**
 * The regions one program invocation can address, indexed by the id in the high half of a {@link Pointer}.
 * Every access is checked against its region's bounds and write permission; a failed check throws
 * {@link MemoryAccessException} and nothing is touched.
 *
 * <p>An address space belongs to one invocation at a time (one thread): the table itself is not synchronized.
 * The bytes of a region may be shared between threads; see {@link Region} for what atomic instructions
 * guarantee on each kind.
 */
public final class AddressSpace {
    private Region[] regions = new Region[16];
    private int next = 1;
    /**
     * Changes with every change to the region table, so that whoever caches a resolved region knows when not to; a
     * long, so that it never comes back to a value it had (an int would, after 2^32 mappings: minutes of short runs).
     */
    private long generation;

    /** Maps a region at the next free id and returns a pointer to its first byte. */
    public long map(Region region) {
        if (next == SharedRegions.FIRST_ID) {
            throw new IllegalStateException("address space full");
        }
        if (next == regions.length) {
            regions = Arrays.copyOf(regions, regions.length * 2);
        }
        int id = next++;
        regions[id] = region;
        generation++;
        return Pointer.of(id, 0);
    }

    /** Maps a region at a fixed id (stack frames live at known ids). */
    public long mapAt(int id, Region region) {
        if (id <= 0 || id >= SharedRegions.FIRST_ID) {
            throw new IllegalArgumentException("region id " + id + " is reserved");
        }
        if (id >= regions.length) {
            regions = Arrays.copyOf(regions, Math.max(id + 1, regions.length * 2));
        }
        regions[id] = region;
        next = Math.max(next, id + 1);
        generation++;
        return Pointer.of(id, 0);
    }

    /**
     * Unmaps the region {@code pointer} points to if it is the last one mapped (a helper's temporary region);
     * otherwise it stays until the invocation's reset.
     */
    public void unmapIfLast(long pointer) {
        int id = Pointer.regionId(pointer);
        if (id == next - 1 && id > 0) {
            regions[id] = null;
            next--;
            generation++;
        }
    }

    /** The id the next {@link #map} takes: one past the last region mapped. */
    public int end() {
        return next;
    }

    /** Unmaps every region with an id at or above {@code firstId}. */
    public void truncate(int firstId) {
        if (next > firstId) {
            Arrays.fill(regions, firstId, next, null);
            next = Math.max(1, firstId);
            generation++;
        }
    }

    /**
     * A number that changes whenever a region is mapped or unmapped: a region resolved when it had some value is
     * still the one behind its id while it has the same value (regions themselves never change).
     */
    public long generation() {
        return generation;
    }

    /**
     * The region a pointer refers to, or null. The invocation's own regions come first (the stack and context
     * accesses of the fast path); shared regions (map values) are looked up only when the id is not local.
     */
    public Region region(long pointer) {
        int id = Pointer.regionId(pointer);
        return Integer.compareUnsigned(id, next) < 0 ? regions[id] : SharedRegions.get(id);
    }

    private Region check(long address, int size, boolean write) {
        Region region = region(address);
        if (region == null) {
            throw new MemoryAccessException(describe(write, size, address) + ": no region is mapped there");
        }
        int offset = Pointer.offset(address);
        if (offset < 0 || offset > region.length() - size) {
            throw new MemoryAccessException(describe(write, size, address) + " is outside " + region
                    + " at offset " + Integer.toUnsignedString(offset));
        }
        if (write && !region.writable()) {
            throw new MemoryAccessException(describe(true, size, address) + " in " + region);
        }
        return region;
    }

    private static String describe(boolean write, int size, long address) {
        return (write ? "write" : "read") + " of " + size + " byte" + (size == 1 ? "" : "s") + " at "
                + Pointer.format(address);
    }

    /** Reads 1, 2, 4 or 8 bytes, zero-extended. */
    public long load(long address, int size) {
        Region r = check(address, size, false);
        byte[] array = r.array();
        return array != null
                ? LittleEndian.get(array, r.base() + Pointer.offset(address), size)
                : loadOutOfLine(r, Pointer.offset(address), size);
    }

    /**
     * Segment and computed regions, kept out of {@link #load} so that the array path (stack, packet) stays as small
     * as it was before computed regions existed and inlines the same.
     */
    private static long loadOutOfLine(Region r, int offset, int size) {
        MemorySegment segment = r.segment();
        return segment != null ? LittleEndian.get(segment, offset, size) : r.fields().load(offset, size);
    }

    /** Writes the low 1, 2, 4 or 8 bytes of a value. */
    public void store(long address, int size, long value) {
        Region r = check(address, size, true);
        byte[] array = r.array();
        if (array != null) {
            LittleEndian.set(array, r.base() + Pointer.offset(address), size, value);
        } else {
            storeOutOfLine(r, Pointer.offset(address), size, value);
        }
    }

    /** Segment and computed regions, out of {@link #store} for the reason given at {@link #loadOutOfLine}. */
    private static void storeOutOfLine(Region r, int offset, int size, long value) {
        MemorySegment segment = r.segment();
        if (segment != null) {
            LittleEndian.set(segment, offset, size, value);
        } else {
            r.fields().store(offset, size, value);
        }
    }

    /**
     * Applies an atomic read-modify-write of 4 or 8 naturally aligned bytes and returns the old value
     * (zero-extended for 4 bytes). For CMPXCHG use {@link #compareAndExchange}.
     */
    public long atomic(long address, int size, AtomicOp op, long operand) {
        if (op == AtomicOp.CMPXCHG) {
            throw new IllegalArgumentException("CMPXCHG needs an expected value: use compareAndExchange");
        }
        Region r = checkAtomic(address, size);
        int offset = Pointer.offset(address);
        MemorySegment segment = r.segment();
        if (segment != null) {
            return AtomicAccess.getAndApply(segment, offset, size, op, operand);
        }
        synchronized (r.array()) {
            int at = r.base() + offset;
            long old = LittleEndian.get(r.array(), at, size);
            LittleEndian.set(r.array(), at, size, op.apply(old, operand));
            return old;
        }
    }

    /** Atomically replaces the value if it equals {@code expected} (compared at the access width). */
    public long compareAndExchange(long address, int size, long expected, long replacement) {
        Region r = checkAtomic(address, size);
        int offset = Pointer.offset(address);
        MemorySegment segment = r.segment();
        if (segment != null) {
            return AtomicAccess.compareAndExchange(segment, offset, size, expected, replacement);
        }
        synchronized (r.array()) {
            int at = r.base() + offset;
            long old = LittleEndian.get(r.array(), at, size);
            long mask = size == 4 ? 0xffff_ffffL : -1L;
            if (old == (expected & mask)) {
                LittleEndian.set(r.array(), at, size, replacement);
            }
            return old;
        }
    }

    /** Atomic accesses must be naturally aligned, as on every architecture the kernel JITs for. */
    private Region checkAtomic(long address, int size) {
        Region r = check(address, size, true);
        if (r.fields() != null) {
            throw new MemoryAccessException("atomic access at " + Pointer.format(address) + " in " + r);
        }
        if ((Pointer.offset(address) & (size - 1)) != 0 || (r.base() & (size - 1)) != 0) {
            throw new MemoryAccessException("misaligned atomic access of " + size + " bytes at "
                    + Pointer.format(address) + " in " + r);
        }
        return r;
    }

    /** Copies bytes out of BPF memory (for helpers). */
    public void read(long address, byte[] into, int intoOffset, int length) {
        if (length == 0) {
            return;
        }
        Region r = check(address, length, false);
        int offset = Pointer.offset(address);
        if (r.array() != null) {
            System.arraycopy(r.array(), r.base() + offset, into, intoOffset, length);
        } else if (r.fields() != null) {
            for (int i = 0; i < length; i++) {
                into[intoOffset + i] = (byte) r.fields().load(offset + i, 1);
            }
        } else {
            MemorySegment.copy(r.segment(), offset, MemorySegment.ofArray(into), intoOffset, length);
        }
    }

    /** Copies bytes into BPF memory (for helpers). */
    public void write(long address, byte[] from, int fromOffset, int length) {
        if (length == 0) {
            return;
        }
        Region r = check(address, length, true);
        int offset = Pointer.offset(address);
        if (r.array() != null) {
            System.arraycopy(from, fromOffset, r.array(), r.base() + offset, length);
        } else if (r.fields() != null) {
            for (int i = 0; i < length; i++) {
                r.fields().store(offset + i, 1, from[fromOffset + i]);
            }
        } else {
            MemorySegment.copy(MemorySegment.ofArray(from), fromOffset, r.segment(), offset, length);
        }
    }
}
