package org.ebpf4j.spec.helper;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/** A helper's return type and its flags ({@code RET_PTR_TO_MAP_VALUE_OR_NULL} is PTR_TO_MAP_VALUE + PTR_MAYBE_NULL). */
public record ReturnSpec(ReturnType type, Set<TypeFlag> flags) {

    public ReturnSpec {
        Objects.requireNonNull(type);
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    public static ReturnSpec of(ReturnType type, TypeFlag... flags) {
        return new ReturnSpec(type, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags));
    }

    public boolean has(TypeFlag flag) {
        return flags.contains(flag);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("RET_").append(type.name());
        for (TypeFlag f : TypeFlag.values()) {
            if (flags.contains(f)) {
                s.append(" | ").append(f.name());
            }
        }
        return s.toString();
    }
}
