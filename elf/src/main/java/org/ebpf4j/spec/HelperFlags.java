package org.ebpf4j.spec;

/**
 * Flags that helpers take in their {@code flags} argument, grouped by the helpers that read them. Values from the
 * uapi's anonymous enums, checked against the Linux 6.18 kernel's BTF.
 */
public final class HelperFlags {

    // bpf_skb_store_bytes
    /** Recompute the checksum after storing. */
    public static final long BPF_F_RECOMPUTE_CSUM = 1 << 0;
    /** Invalidate {@code skb->hash} after storing. */
    public static final long BPF_F_INVALIDATE_HASH = 1 << 1;

    // bpf_l3_csum_replace, bpf_l4_csum_replace
    /** Low bits: the size of the field being replaced (2 or 4, or 0 for a diff). */
    public static final long BPF_F_HDR_FIELD_MASK = 0xf;
    /** L4: the field is part of the pseudo header. */
    public static final long BPF_F_PSEUDO_HDR = 1 << 4;
    /** L4 (UDP): a zero checksum becomes mangled 0xffff. */
    public static final long BPF_F_MARK_MANGLED_0 = 1 << 5;
    /** L4 (UDP): update even a zero checksum. */
    public static final long BPF_F_MARK_ENFORCE = 1 << 6;
    /** L4: the packet is IPv6 (Linux 6.15). */
    public static final long BPF_F_IPV6 = 1 << 7;

    // bpf_redirect, bpf_redirect_map, bpf_clone_redirect
    /** Redirect to the ingress path of the target device. */
    public static final long BPF_F_INGRESS = 1 << 0;
    /** {@code bpf_redirect_map}: send to every entry of the map. */
    public static final long BPF_F_BROADCAST = 1 << 3;
    /** {@code bpf_redirect_map} broadcast: leave out the ingress device. */
    public static final long BPF_F_EXCLUDE_INGRESS = 1 << 4;

    // bpf_get_stackid, bpf_get_stack
    /** Low 8 bits: how many frames to skip. */
    public static final long BPF_F_SKIP_FIELD_MASK = 0xff;
    /** Walk the user stack instead of the kernel stack. */
    public static final long BPF_F_USER_STACK = 1 << 8;
    /** {@code bpf_get_stackid}: compare stacks by hash only. */
    public static final long BPF_F_FAST_STACK_CMP = 1 << 9;
    /** {@code bpf_get_stackid}: on a hash collision, replace the stored stack. */
    public static final long BPF_F_REUSE_STACKID = 1 << 10;
    /** {@code bpf_get_stack}: user stack as build ids + offsets. */
    public static final long BPF_F_USER_BUILD_ID = 1 << 11;

    // bpf_perf_event_output, bpf_perf_event_read, bpf_skb_output, bpf_xdp_output
    /** Low 32 bits: the index (CPU) in the perf event array. */
    public static final long BPF_F_INDEX_MASK = 0xffff_ffffL;
    /** Index value meaning "the current CPU". */
    public static final long BPF_F_CURRENT_CPU = BPF_F_INDEX_MASK;
    /** Bits 32..51: how many bytes of packet to append to the sample. */
    public static final long BPF_F_CTXLEN_MASK = 0xfffffL << 32;

    // bpf_timer_start
    /** The timeout is an absolute time, not relative. */
    public static final long BPF_F_TIMER_ABS = 1 << 0;
    /** Run the callback on the CPU that started the timer. */
    public static final long BPF_F_TIMER_CPU_PIN = 1 << 1;

    private HelperFlags() {
    }
}
