package org.ebpf4j.spec.context;

import java.util.List;

/**
 * The record of a tracepoint (the perf trace entry a {@code SEC("tracepoint/...")} program receives): its layout is
 * the event's format, which the attach point declares, so it is described here as a byte region.
 * tp_prog_is_valid_access allows reads only, at offsets aligned to their size, from 8 (the common fields before are
 * hidden: {@code off < sizeof(void *)}) up to PERF_MAX_TRACE_SIZE; the kernel checks the event's own size when the
 * program is attached.
 */
public final class TracepointRecord {
    private TracepointRecord() {}

    /** PERF_MAX_TRACE_SIZE: the bound the verifier checks when no event is known. */
    public static final int MAX_SIZE = 8192;
    /** The hidden common fields ({@code sizeof(void *)} bytes). */
    public static final int COMMON = Long.BYTES;

    /**
     * tp_prog_is_valid_access compares the int offset with {@code sizeof(void *)}, an unsigned comparison, so the
     * kernel's verifier also accepts reads at any negative offset aligned to their size (memory before the record).
     * The verifier follows it; the engines have nothing there and fault.
     */
    public static final boolean NEGATIVE_OFFSETS_READABLE = true;

    private static final String NAME = "tracepoint record";

    public static final ContextLayout LAYOUT = layout(MAX_SIZE);

    /** A record of {@code size} bytes (an event's own size, at most {@link #MAX_SIZE}). */
    public static ContextLayout layout(int size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("a tracepoint record holds 0 to " + MAX_SIZE + " bytes, not " + size);
        }
        if (size <= COMMON) {
            return new ContextLayout(NAME, size, size == 0 ? List.of()
                    : List.of(new ContextField("common", 0, size, FieldAccess.NONE)));
        }
        return new ContextLayout(NAME, size, List.of(new ContextField("common", 0, COMMON, FieldAccess.NONE),
                new ContextField("record", COMMON, size - COMMON, FieldAccess.READ, true)));
    }
}
