package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_END;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_START;
import static org.ebpf4j.spec.context.FieldAccess.READ;

import java.util.List;

/**
 * {@code struct sk_msg_md}, the context of BPF_PROG_TYPE_SK_MSG programs (include/uapi/linux/bpf.h), with
 * net/core/filter.c's {@code sk_msg_is_valid_access}: read-only, every {@code __u32} whole, {@code data} and
 * {@code data_end} 8-byte pointers over the message, {@code sk} a socket pointer.
 */
public final class SkMsgMd {
    private SkMsgMd() {}

    public static final String STRUCT = "sk_msg_md";
    public static final int SIZE = 80;

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("data", 0, 8, PACKET_START),
            new ContextField("data_end", 8, 8, PACKET_END),
            new ContextField("family", 16, 4, READ, false),
            new ContextField("remote_ip4", 20, 4, READ, false),
            new ContextField("local_ip4", 24, 4, READ, false),
            new ContextField("remote_ip6", 28, 16, READ, false),
            new ContextField("local_ip6", 44, 16, READ, false),
            new ContextField("remote_port", 60, 4, READ, false),
            new ContextField("local_port", 64, 4, READ, false),
            new ContextField("size", 68, 4, READ, false),
            new ContextField("sk", 72, 8, KERNEL_POINTER)));
}
