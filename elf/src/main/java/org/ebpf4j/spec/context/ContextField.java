package org.ebpf4j.spec.context;

import java.util.Objects;

/**
 * One field of a context struct, as the kernel's uapi header lays it out, with the access widths the program
 * type's is_valid_access allows. An access must also be aligned to its own width (from the struct's start) and lie
 * inside the field.
 *
 * @param name the C member name ({@code cb} for the whole {@code __u32 cb[5]})
 * @param offset byte offset in the struct
 * @param size bytes (a whole array for array members)
 * @param access what this program type may do with it
 * @param readWidths the widths reads may have, as a set of {@link #widths} (narrower than the field at offsets
 *                   aligned to their width: bpf_ctx_narrow_access_ok; 8 bytes inside a {@code __u32} array:
 *                   bpf_ctx_wide_access_ok); the program type may still refuse narrow reads, as XDP does
 * @param writeWidths the widths writes may have, where {@code access} allows writes
 * @param narrowRead where narrow reads may fall and what they read
 */
public record ContextField(String name, int offset, int size, FieldAccess access, int readWidths,
                           int writeWidths, NarrowRead narrowRead) {
    private static final int ANY = widths(1, 2, 4, 8);
    private static final int U32 = widths(Integer.BYTES);

    /** A field with the common narrowness: {@code __u32} fields and arrays allow narrow reads, 8-byte fields not. */
    public ContextField(String name, int offset, int size, FieldAccess access) {
        this(name, offset, size, access, size == Integer.BYTES || size > Long.BYTES);
    }

    /**
     * A field whose reads may ({@code narrow}) or may not be narrower than it. A field over 8 bytes (an array, or
     * a byte region such as a tracepoint record) is then accessed with any aligned width inside it, reads and
     * writes, or in whole {@code __u32} elements only. Packet-pointer fields are read whole whatever
     * {@code narrow} says.
     */
    public ContextField(String name, int offset, int size, FieldAccess access, boolean narrow) {
        this(name, offset, size, access, readWidths(size, access, narrow), writeWidths(size, narrow),
                NarrowRead.ANY_ALIGNED);
    }

    public ContextField {
        Objects.requireNonNull(name);
        Objects.requireNonNull(access);
        Objects.requireNonNull(narrowRead);
        if (offset < 0 || size <= 0) {
            throw new IllegalArgumentException("field " + name + " at " + offset + " of " + size + " bytes");
        }
    }

    /** The set of access widths (each 1, 2, 4 or 8 bytes) as the bit mask the record keeps. */
    public static int widths(int... bytes) {
        int mask = 0;
        for (int b : bytes) {
            if (Integer.bitCount(b) != 1 || b > Long.BYTES) {
                throw new IllegalArgumentException("an access is 1, 2, 4 or 8 bytes wide, not " + b);
            }
            mask |= 1 << b;
        }
        return mask;
    }

    private static int readWidths(int size, FieldAccess access, boolean narrow) {
        if (access.packetPointer() || !narrow) {
            return size > Long.BYTES ? U32 : widths(size);
        }
        return size > Long.BYTES ? ANY : ANY & ((1 << (size + 1)) - 1);
    }

    private static int writeWidths(int size, boolean narrow) {
        if (size > Long.BYTES) {
            return narrow ? ANY : U32;
        }
        return widths(size);
    }

    /** Whether a read of {@code width} bytes may touch this field. */
    public boolean readableAs(int width) {
        return width <= Long.BYTES && (readWidths & (1 << width)) != 0;
    }

    /** Whether a write of {@code width} bytes may touch this field (when its access allows writes). */
    public boolean writableAs(int width) {
        return width <= Long.BYTES && (writeWidths & (1 << width)) != 0;
    }

    /** A copy that allows or refuses narrow reads. */
    public ContextField withNarrow(boolean narrow) {
        return new ContextField(name, offset, size, access, narrow);
    }

    /** A copy with other access widths. */
    public ContextField withWidths(int newReadWidths, int newWriteWidths) {
        return new ContextField(name, offset, size, access, newReadWidths, newWriteWidths, narrowRead);
    }

    /** A copy whose narrow reads follow {@code rule}. */
    public ContextField withNarrowRead(NarrowRead rule) {
        return new ContextField(name, offset, size, access, readWidths, writeWidths, rule);
    }

    /**
     * Whether an access of {@code width} bytes at {@code off} stays within this field: inside it, or, for a field
     * whose widths include more than its size (a {@code __be16} port read as a {@code __u32}), from its start.
     */
    public boolean covers(int off, int width) {
        if (narrowRead == NarrowRead.AT_START_ONLY && off != offset) {
            return false;
        }
        return off >= offset && (off + width <= end() || (off == offset && width > size));
    }

    /** The offset whose bytes a read of {@code width} bytes at {@code off} (which this field covers) returns. */
    public int source(int off, int width) {
        boolean upperHalf = narrowRead == NarrowRead.UPPER_HALF_REPEATS_LOWER && width == Short.BYTES
                && off == offset + Short.BYTES;
        return upperHalf ? offset : off;
    }

    public int end() {
        return offset + size;
    }

    public ContextField withAccess(FieldAccess newAccess) {
        return new ContextField(name, offset, size, newAccess, readWidths, writeWidths, narrowRead);
    }
}
