package org.ebpf4j.spec;

/**
 * Flags of the ring-buffer helpers ({@code bpf_ringbuf_output}, {@code bpf_ringbuf_submit},
 * {@code bpf_ringbuf_discard}) and the selectors of {@code bpf_ringbuf_query}.
 */
public final class RingBufferFlags {

    /** Do not wake up the consumer for this record (the producer batches wakeups itself). */
    public static final long BPF_RB_NO_WAKEUP = 1 << 0;
    /** Wake up the consumer even if it has not caught up with earlier records. */
    public static final long BPF_RB_FORCE_WAKEUP = 1 << 1;

    /** {@code bpf_ringbuf_query}: bytes committed but not yet consumed. */
    public static final long BPF_RB_AVAIL_DATA = 0;
    /** {@code bpf_ringbuf_query}: size of the data area. */
    public static final long BPF_RB_RING_SIZE = 1;
    /** {@code bpf_ringbuf_query}: consumer position. */
    public static final long BPF_RB_CONS_POS = 2;
    /** {@code bpf_ringbuf_query}: producer position. */
    public static final long BPF_RB_PROD_POS = 3;

    /** Record header bit: the record is reserved but not yet submitted or discarded. */
    public static final int BPF_RINGBUF_BUSY_BIT = 1 << 31;
    /** Record header bit: the record was discarded and the consumer skips it. */
    public static final int BPF_RINGBUF_DISCARD_BIT = 1 << 30;
    /** Size in bytes of the header before each record ({@code struct bpf_ringbuf_hdr} as user space sees it). */
    public static final int BPF_RINGBUF_HDR_SZ = 8;

    private RingBufferFlags() {
    }
}
