package org.ebpf4j.spec.context;

import java.util.List;

/**
 * {@code struct bpf_raw_tracepoint_args}: the raw tracepoint's arguments as {@code __u64 args[]}. The verifier
 * (bpf_tracing_ctx_access) allows reads only, at offsets aligned to their size, below
 * {@code sizeof(u64) * MAX_BPF_FUNC_ARGS}; how many arguments a tracepoint has is checked when it is attached, and a
 * test run's context holds as many bytes as the caller gives.
 */
public final class RawTracepointArgs {
    private RawTracepointArgs() {}

    /** MAX_BPF_FUNC_ARGS. */
    public static final int MAX_ARGS = 12;
    /** The bound the verifier checks. */
    public static final int MAX_SIZE = MAX_ARGS * Long.BYTES;

    public static final ContextLayout LAYOUT = layout(MAX_SIZE);

    /** A context of {@code size} bytes of arguments (at most {@link #MAX_SIZE}). */
    public static ContextLayout layout(int size) {
        if (size < 0 || size > MAX_SIZE) {
            throw new IllegalArgumentException("raw tracepoint arguments take 0 to " + MAX_SIZE + " bytes, not "
                    + size);
        }
        return new ContextLayout("bpf_raw_tracepoint_args", size, size == 0 ? List.of()
                : List.of(new ContextField("args", 0, size, FieldAccess.READ, true)));
    }
}
