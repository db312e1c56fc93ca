package org.ebpf4j.spec.context;

import java.util.Objects;

/**
 * One field of a context struct, as the kernel's uapi header lays it out.
 *
 * @param name the C member name ({@code cb} for the whole {@code __u32 cb[5]})
 * @param offset byte offset in the struct
 * @param size bytes (a whole array for array members)
 * @param access what this program type may do with it
 * @param narrow whether reads narrower than the field are allowed (at offsets aligned to their size; the program
 *               type may still refuse them, as XDP does); for a field over 8 bytes (an array, or a byte region such
 *               as a tracepoint record), whether any aligned access inside is allowed rather than whole
 *               {@code __u32} elements only
 */
public record ContextField(String name, int offset, int size, FieldAccess access, boolean narrow) {
    /** A field with the common narrowness: {@code __u32} fields and arrays allow narrow reads, 8-byte fields not. */
    public ContextField(String name, int offset, int size, FieldAccess access) {
        this(name, offset, size, access, size == Integer.BYTES || size > Long.BYTES);
    }

    public ContextField {
        Objects.requireNonNull(name);
        Objects.requireNonNull(access);
        if (offset < 0 || size <= 0) {
            throw new IllegalArgumentException("field " + name + " at " + offset + " of " + size + " bytes");
        }
    }

    /** A copy that allows or refuses narrow reads. */
    public ContextField withNarrow(boolean newNarrow) {
        return new ContextField(name, offset, size, access, newNarrow);
    }

    public int end() {
        return offset + size;
    }

    public ContextField withAccess(FieldAccess newAccess) {
        return new ContextField(name, offset, size, newAccess, narrow);
    }
}
