package org.ebpf4j.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A window of JVM memory that BPF code may address, {@code length} bytes long. Stack frames, the context,
 * packets and buffers are regions; the JVM's own bounds checks are the second wall behind every check made here.
 *
 * <p>Three backings exist. An <em>array</em> region is a slice of a {@code byte[]}: the fastest to read and write,
 * right for memory that one invocation owns (stack, packet). JDK 25 offers no atomic access to a
 * {@code byte[]}, so atomic instructions on an array region serialize on the array; that is exact against other
 * atomic instructions but not against plain stores racing from another thread. A <em>segment</em> region is a
 * {@link MemorySegment} (8-byte aligned heap memory from {@link #shared}, or native memory): atomic instructions
 * on it are the hardware's, so memory shared between threads (map values) belongs there. A <em>computed</em>
 * region ({@link #computed}) answers each access through a {@link FieldMemory}: the context, whose pointer fields
 * read as packet pointers; atomic instructions on it fault, as the kernel's verifier refuses them.
 */
public final class Region {
    private final String name;
    private final byte[] array;
    private final MemorySegment segment;
    private final FieldMemory fields;
    private final int base;
    private final int length;
    private final boolean writable;

    private Region(String name, byte[] array, MemorySegment segment, FieldMemory fields, int base, int length,
                   boolean writable) {
        this.name = Objects.requireNonNull(name);
        this.array = array;
        this.segment = segment;
        this.fields = fields;
        this.base = base;
        this.length = length;
        this.writable = writable;
    }

    /** A region over {@code length} bytes of an array starting at {@code base}. */
    public Region(String name, byte[] data, int base, int length, boolean writable) {
        this(name, Objects.requireNonNull(data), null, null, base, length, writable);
        Objects.checkFromIndexSize(base, length, data.length);
    }

    /** A writable region over a whole array. */
    public static Region of(String name, byte[] data) {
        return new Region(name, data, 0, data.length, true);
    }

    public static Region readOnly(String name, byte[] data) {
        return new Region(name, data, 0, data.length, false);
    }

    /** A region over a memory segment (at most 2 GiB of it). */
    public static Region of(String name, MemorySegment segment, boolean writable) {
        if (segment.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region larger than 2 GiB: " + segment.byteSize());
        }
        return new Region(name, null, segment, null, 0, (int) segment.byteSize(), writable);
    }

    /**
     * A region whose accesses {@code fields} computes (the context): writable as far as the region goes, each
     * field's own rules decide.
     */
    public static Region computed(String name, FieldMemory fields, int length) {
        return new Region(name, null, null, Objects.requireNonNull(fields), 0, length, true);
    }

    /** Zeroed, 8-byte aligned memory on which atomic instructions are the hardware's. */
    public static Region shared(String name, int length) {
        MemorySegment segment = MemorySegment.ofArray(new long[(length + 7) / 8]).asSlice(0, length);
        return of(name, segment, true);
    }

    public String name() {
        return name;
    }

    /** The backing array of an array region, or null for a segment region. */
    public byte[] array() {
        return array;
    }

    /** The backing segment of a segment region, or null for an array region. */
    public MemorySegment segment() {
        return segment;
    }

    /** The computing backing of a {@link #computed} region, or null. */
    public FieldMemory fields() {
        return fields;
    }

    /** Where the region starts in its array (0 for segment regions). */
    public int base() {
        return base;
    }

    public int length() {
        return length;
    }

    public boolean writable() {
        return writable;
    }

    @Override
    public String toString() {
        return "region '" + name + "' (" + length + " bytes" + (writable ? "" : ", read-only") + ")";
    }
}
