package org.ebpf4j.spec.helper;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One argument of a helper prototype: its base type, its flags and, with {@link TypeFlag#MEM_FIXED_SIZE}, the
 * fixed size of the memory (the kernel's {@code argN_size}).
 */
public record ArgSpec(ArgType type, Set<TypeFlag> flags, int fixedSize) {

    public ArgSpec {
        Objects.requireNonNull(type);
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        if (flags.contains(TypeFlag.MEM_FIXED_SIZE) != (fixedSize > 0)) {
            throw new IllegalArgumentException("a fixed size goes with MEM_FIXED_SIZE and only with it: " + type);
        }
    }

    /** An argument of this base type with these flags. */
    public static ArgSpec of(ArgType type, TypeFlag... flags) {
        return new ArgSpec(type, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags), 0);
    }

    /** ARG_PTR_TO_FIXED_SIZE_MEM with these flags: {@code size} bytes, no size argument. */
    public static ArgSpec fixedSizeMemory(int size, TypeFlag... flags) {
        EnumSet<TypeFlag> all = EnumSet.of(TypeFlag.MEM_FIXED_SIZE, flags);
        return new ArgSpec(ArgType.PTR_TO_MEM, all, size);
    }

    public boolean has(TypeFlag flag) {
        return flags.contains(flag);
    }

    /** Whether this argument is a byte count for the memory argument before it. */
    public boolean isSize() {
        return type == ArgType.CONST_SIZE || type == ArgType.CONST_SIZE_OR_ZERO;
    }

    /** The kernel's spelling, such as {@code ARG_PTR_TO_MEM | MEM_RDONLY}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ARG_").append(type.name());
        for (TypeFlag f : TypeFlag.values()) {
            if (flags.contains(f)) {
                s.append(" | ").append(f.name());
            }
        }
        return s.toString();
    }
}
