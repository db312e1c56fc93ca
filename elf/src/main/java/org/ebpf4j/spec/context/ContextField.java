package org.ebpf4j.spec.context;

import java.util.Objects;

/**
 * One field of a context struct, as the kernel's uapi header lays it out.
 *
 * @param name the C member name ({@code cb} for the whole {@code __u32 cb[5]})
 * @param offset byte offset in the struct
 * @param size bytes (a whole array for array members)
 * @param access what this program type may do with it
 */
public record ContextField(String name, int offset, int size, FieldAccess access) {
    public ContextField {
        Objects.requireNonNull(name);
        Objects.requireNonNull(access);
        if (offset < 0 || size <= 0) {
            throw new IllegalArgumentException("field " + name + " at " + offset + " of " + size + " bytes");
        }
    }

    public int end() {
        return offset + size;
    }

    public ContextField withAccess(FieldAccess newAccess) {
        return new ContextField(name, offset, size, newAccess);
    }
}
