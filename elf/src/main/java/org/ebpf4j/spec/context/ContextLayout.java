package org.ebpf4j.spec.context;

import java.util.List;
import java.util.Optional;

/**
 * A context struct as one program type sees it: its C name, its size and its fields in offset order. Bytes that
 * no field covers are padding, and no access may touch them.
 */
public record ContextLayout(String structName, int size, List<ContextField> fields) {
    /** Names fields that are padding in the header but readable as zeros (bpf_sk_lookup's after remote_port). */
    public static final String PADDING_PREFIX = "padding after ";
    /**
     * Names fields that are the rest of a header array whose first element the layout names on its own (bpf_sock_ops'
     * args after reply, which the union overlays).
     */
    public static final String REST_PREFIX = "rest of ";

    public ContextLayout {
        fields = List.copyOf(fields);
        int end = 0;
        for (ContextField f : fields) {
            if (f.offset() < end || f.end() > size) {
                throw new IllegalArgumentException(structName + ": field " + f.name() + " overlaps or overflows");
            }
            end = f.end();
        }
    }

    /** The field called {@code name}; an {@link IllegalArgumentException} when there is none. */
    public ContextField field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(structName + " has no field " + name));
    }

    /** The field that holds the byte at {@code offset}, if any. */
    public Optional<ContextField> fieldAt(int offset) {
        for (ContextField f : fields) {
            if (offset >= f.offset() && offset < f.end()) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** A copy in which the named fields allow ({@code true}) or refuse narrow reads. */
    public ContextLayout withNarrow(boolean narrow, String... names) {
        List<String> changed = List.of(names);
        changed.forEach(this::field);
        return new ContextLayout(structName, size, fields.stream()
                .map(f -> changed.contains(f.name()) ? f.withNarrow(narrow) : f).toList());
    }

    /** A copy in which the named fields have another access (program types differ only in access rules). */
    public ContextLayout withAccess(FieldAccess access, String... names) {
        List<String> changed = List.of(names);
        changed.forEach(this::field);
        return new ContextLayout(structName, size, fields.stream()
                .map(f -> changed.contains(f.name()) ? f.withAccess(access) : f).toList());
    }
}
