package org.ebpf4j.runtime.maps;

import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.Region;

/**
 * The key {@code bpf_for_each_map_elem} hands its callback: a read-only region of the calling invocation,
 * rewritten for each element and unmapped when the walk ends, so that walks in a loop do not pile up regions.
 */
final class CallbackKey implements AutoCloseable {
    private final HelperContext context;
    private final byte[] bytes;
    private final long pointer;

    CallbackKey(HelperContext context, int size) {
        this.context = context;
        this.bytes = new byte[size];
        this.pointer = context.memory().map(Region.readOnly("bpf_for_each_map_elem key", bytes));
    }

    /** Points the key at {@code key}'s bytes and returns the pointer. */
    long set(byte[] key) {
        System.arraycopy(key, 0, bytes, 0, bytes.length);
        return pointer;
    }

    @Override
    public void close() {
        context.memory().unmapIfLast(pointer);
    }
}
