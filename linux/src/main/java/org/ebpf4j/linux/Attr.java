package org.ebpf4j.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One {@code bpf_attr} being filled: zeroed memory shaped by a {@link BpfAttrLayouts} struct, written by field
 * name so that a call site reads like the header. Unwritten fields stay zero ("not used" to the kernel).
 */
final class Attr {
    private final StructLayout layout;
    private final MemorySegment segment;

    private Attr(StructLayout layout, MemorySegment segment) {
        this.layout = layout;
        this.segment = segment;
    }

    /** Zeroed attributes in {@code arena} (which also holds whatever the pointers point at). */
    static Attr of(Arena arena, StructLayout layout) {
        return new Attr(layout, arena.allocate(layout));
    }

    MemorySegment segment() {
        return segment;
    }

    Attr u32(String field, int value) {
        segment.set(ValueLayout.JAVA_INT, offset(field), value);
        return this;
    }

    Attr u64(String field, long value) {
        segment.set(ValueLayout.JAVA_LONG, offset(field), value);
        return this;
    }

    /** A pointer field: the segment's address, or 0 for {@link MemorySegment#NULL}. */
    Attr pointer(String field, MemorySegment target) {
        return u64(field, target.address());
    }

    /**
     * An object name ({@code map_name}, {@code prog_name}): the kernel accepts only letters, digits, '_' and '.',
     * and at most 15 of them before the NUL; other characters become '_', longer names are cut.
     */
    Attr objectName(String field, String name) {
        byte[] bytes = name.replaceAll("[^A-Za-z0-9_.]", "_").getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset(field),
                Math.min(bytes.length, BpfAttrLayouts.OBJ_NAME_LEN - 1));
        return this;
    }

    int u32(String field) {
        return segment.get(ValueLayout.JAVA_INT, offset(field));
    }

    long u64(String field) {
        return segment.get(ValueLayout.JAVA_LONG, offset(field));
    }

    /** A byte-array field ({@code tag}). */
    byte[] bytes(String field, int length) {
        return segment.asSlice(offset(field), length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A NUL-terminated name field ({@code name}, at most {@code BPF_OBJ_NAME_LEN} bytes with the NUL). */
    String objectName(String field) {
        byte[] bytes = bytes(field, BpfAttrLayouts.OBJ_NAME_LEN);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }

    private long offset(String field) {
        return layout.byteOffset(groupElement(field));
    }
}
