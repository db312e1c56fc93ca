package org.ebpf4j.runtime.helpers;

import java.util.Arrays;
import java.util.Objects;

/**
 * Helpers by id ({@code BPF_FUNC_*} numbers). Immutable: {@link #with} returns an extended copy, so one registry
 * can be shared by every program and thread while Java code adds its own helpers for its own programs.
 */
public final class HelperRegistry {
    private static final HelperRegistry EMPTY = new HelperRegistry(new Helper[0], new String[0]);

    private final Helper[] helpers;
    private final String[] names;

    private HelperRegistry(Helper[] helpers, String[] names) {
        this.helpers = helpers;
        this.names = names;
    }

    public static HelperRegistry empty() {
        return EMPTY;
    }

    /** A copy of this registry with one more helper (replacing any helper with the same id). */
    public HelperRegistry with(int id, String name, Helper helper) {
        if (id < 0 || id > 0xffff) {
            throw new IllegalArgumentException("helper id out of range: " + id);
        }
        Objects.requireNonNull(helper);
        int size = Math.max(helpers.length, id + 1);
        Helper[] h = Arrays.copyOf(helpers, size);
        String[] n = Arrays.copyOf(names, size);
        h[id] = helper;
        n[id] = Objects.requireNonNull(name);
        return new HelperRegistry(h, n);
    }

    /** A copy of this registry with every helper of {@code other} added (replacing those with the same ids). */
    public HelperRegistry withAll(HelperRegistry other) {
        HelperRegistry merged = this;
        for (int id = 0; id < other.helpers.length; id++) {
            if (other.helpers[id] != null) {
                merged = merged.with(id, other.names[id], other.helpers[id]);
            }
        }
        return merged;
    }

    /** The helper with this id, or null. */
    public Helper get(long id) {
        return id >= 0 && id < helpers.length ? helpers[(int) id] : null;
    }

    /** The helper's name, or null when there is none with this id. */
    public String name(long id) {
        return id >= 0 && id < names.length ? names[(int) id] : null;
    }
}
