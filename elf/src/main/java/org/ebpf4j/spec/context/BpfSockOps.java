package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_END;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_START;
import static org.ebpf4j.spec.context.FieldAccess.READ;
import static org.ebpf4j.spec.context.FieldAccess.READ_WRITE;

import java.util.List;

/**
 * {@code struct bpf_sock_ops}, the context of BPF_PROG_TYPE_SOCK_OPS programs (include/uapi/linux/bpf.h), with
 * net/core/filter.c's {@code sock_ops_is_valid_access}: every {@code __u32} read whole but {@code skb_tcp_flags}
 * (narrow at its first byte), the 64-bit counters and timestamp whole; only {@code reply} (the first
 * {@code __u32} of the args/reply/replylong union) and {@code sk_txhash} written, whole; {@code sk} a socket
 * pointer; {@code skb_data} and {@code skb_data_end} 8-byte packet pointers.
 */
public final class BpfSockOps {
    private BpfSockOps() {}

    public static final String STRUCT = "bpf_sock_ops";
    public static final int SIZE = 224;

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("op", 0, 4, READ, false),
            new ContextField("reply", 4, 4, READ_WRITE, false),
            new ContextField(ContextLayout.REST_PREFIX + "args", 8, 12, READ, false),
            new ContextField("family", 20, 4, READ, false),
            new ContextField("remote_ip4", 24, 4, READ, false),
            new ContextField("local_ip4", 28, 4, READ, false),
            new ContextField("remote_ip6", 32, 16, READ, false),
            new ContextField("local_ip6", 48, 16, READ, false),
            new ContextField("remote_port", 64, 4, READ, false),
            new ContextField("local_port", 68, 4, READ, false),
            new ContextField("is_fullsock", 72, 4, READ, false),
            new ContextField("snd_cwnd", 76, 4, READ, false),
            new ContextField("srtt_us", 80, 4, READ, false),
            new ContextField("bpf_sock_ops_cb_flags", 84, 4, READ, false),
            new ContextField("state", 88, 4, READ, false),
            new ContextField("rtt_min", 92, 4, READ, false),
            new ContextField("snd_ssthresh", 96, 4, READ, false),
            new ContextField("rcv_nxt", 100, 4, READ, false),
            new ContextField("snd_nxt", 104, 4, READ, false),
            new ContextField("snd_una", 108, 4, READ, false),
            new ContextField("mss_cache", 112, 4, READ, false),
            new ContextField("ecn_flags", 116, 4, READ, false),
            new ContextField("rate_delivered", 120, 4, READ, false),
            new ContextField("rate_interval_us", 124, 4, READ, false),
            new ContextField("packets_out", 128, 4, READ, false),
            new ContextField("retrans_out", 132, 4, READ, false),
            new ContextField("total_retrans", 136, 4, READ, false),
            new ContextField("segs_in", 140, 4, READ, false),
            new ContextField("data_segs_in", 144, 4, READ, false),
            new ContextField("segs_out", 148, 4, READ, false),
            new ContextField("data_segs_out", 152, 4, READ, false),
            new ContextField("lost_out", 156, 4, READ, false),
            new ContextField("sacked_out", 160, 4, READ, false),
            new ContextField("sk_txhash", 164, 4, READ_WRITE, false),
            new ContextField("bytes_received", 168, 8, READ),
            new ContextField("bytes_acked", 176, 8, READ),
            new ContextField("sk", 184, 8, KERNEL_POINTER),
            new ContextField("skb_data", 192, 8, PACKET_START),
            new ContextField("skb_data_end", 200, 8, PACKET_END),
            new ContextField("skb_len", 208, 4, READ, false),
            new ContextField("skb_tcp_flags", 212, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY),
            new ContextField("skb_hwtstamp", 216, 8, READ)));
}
