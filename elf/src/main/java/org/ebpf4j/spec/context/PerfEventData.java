package org.ebpf4j.spec.context;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct bpf_perf_event_data} (include/uapi/linux/bpf_perf_event.h on x86-64), the context of perf event
 * programs: the sampled registers, then {@code sample_period} and {@code addr}, 184 bytes. pe_prog_is_valid_access
 * allows reads only: whole 8-byte registers, and any aligned read of the two 8-byte counters (the kernel's ctx
 * rewrite fetches them from the sample; here they are the context's own bytes).
 */
public final class PerfEventData {
    private PerfEventData() {}

    public static final ContextField SAMPLE_PERIOD =
            new ContextField("sample_period", PtRegs.SIZE, Long.BYTES, FieldAccess.READ, true);
    public static final ContextField ADDR =
            new ContextField("addr", PtRegs.SIZE + Long.BYTES, Long.BYTES, FieldAccess.READ, true);

    /** sizeof(struct bpf_perf_event_data). */
    public static final int SIZE = ADDR.end();

    /** Prefix of the register fields ({@code regs.di}, ...). */
    public static final String REGS = "regs.";

    public static final ContextLayout LAYOUT = new ContextLayout("bpf_perf_event_data", SIZE, fields());

    private static List<ContextField> fields() {
        List<ContextField> fields = new ArrayList<>(PtRegs.fields(REGS, 0, false));
        fields.add(SAMPLE_PERIOD);
        fields.add(ADDR);
        return fields;
    }
}
