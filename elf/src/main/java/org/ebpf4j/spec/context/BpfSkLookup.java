package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;
import static org.ebpf4j.spec.context.FieldAccess.READ;

import java.util.List;

/**
 * {@code struct bpf_sk_lookup}, the context of BPF_PROG_TYPE_SK_LOOKUP programs (include/uapi/linux/bpf.h), with
 * net/core/filter.c's {@code sk_lookup_is_valid_access}: nothing is writable; {@code sk} (which shares its offset
 * with {@code cookie}) reads as a socket pointer, 8 bytes only; the other fields read narrow, the IPv6 arrays in
 * at most 4 bytes; {@code remote_port} (a {@code __be16}) may also be read as a {@code __u32} from its start, and
 * the padding after it reads as a 2-byte field. The kernel keeps {@code family}, {@code protocol} and
 * {@code local_port} in 16 bits, which a 2-byte read of their upper half returns again.
 */
public final class BpfSkLookup {
    private BpfSkLookup() {}

    public static final String STRUCT = "bpf_sk_lookup";
    public static final int SIZE = 72;

    private static final int NARROW_U32 = ContextField.widths(1, 2, 4);

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("sk", 0, 8, KERNEL_POINTER),
            new ContextField("family", 8, 4, READ).withNarrowRead(NarrowRead.UPPER_HALF_REPEATS_LOWER),
            new ContextField("protocol", 12, 4, READ).withNarrowRead(NarrowRead.UPPER_HALF_REPEATS_LOWER),
            new ContextField("remote_ip4", 16, 4, READ),
            new ContextField("remote_ip6", 20, 16, READ).withWidths(NARROW_U32, 0),
            new ContextField("remote_port", 36, 2, READ).withWidths(NARROW_U32, 0),
            new ContextField(ContextLayout.PADDING_PREFIX + "remote_port", 38, 2, READ, true),
            new ContextField("local_ip4", 40, 4, READ),
            new ContextField("local_ip6", 44, 16, READ).withWidths(NARROW_U32, 0),
            new ContextField("local_port", 60, 4, READ).withNarrowRead(NarrowRead.UPPER_HALF_REPEATS_LOWER),
            new ContextField("ingress_ifindex", 64, 4, READ)));
}
