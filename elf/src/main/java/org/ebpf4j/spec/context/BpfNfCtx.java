package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;

import java.util.List;

/**
 * {@code struct bpf_nf_ctx}, the context of BPF_PROG_TYPE_NETFILTER programs (include/net/netfilter/nf_bpf_link.h):
 * two read-only pointers to kernel objects ({@code struct nf_hook_state}, {@code struct sk_buff}, BTF-typed), which
 * neither the verifier nor the engines model (net/netfilter/nf_bpf_link.c's {@code nf_is_valid_access}).
 */
public final class BpfNfCtx {
    private BpfNfCtx() {}

    public static final String STRUCT = "bpf_nf_ctx";
    public static final int SIZE = 16;

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("state", 0, 8, KERNEL_POINTER),
            new ContextField("skb", 8, 8, KERNEL_POINTER)));
}
