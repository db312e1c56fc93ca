package org.ebpf4j.spec.context;

import java.util.List;

/** {@code struct xdp_md}, the context of XDP programs (include/uapi/linux/bpf.h), every field a {@code __u32}. */
public final class XdpMd {
    private XdpMd() {}

    public static final ContextField DATA = new ContextField("data", 0, 4, FieldAccess.PACKET_START);
    public static final ContextField DATA_END = new ContextField("data_end", 4, 4, FieldAccess.PACKET_END);
    public static final ContextField DATA_META = new ContextField("data_meta", 8, 4, FieldAccess.PACKET_META);
    public static final ContextField INGRESS_IFINDEX = new ContextField("ingress_ifindex", 12, 4, FieldAccess.READ);
    public static final ContextField RX_QUEUE_INDEX = new ContextField("rx_queue_index", 16, 4, FieldAccess.READ);
    public static final ContextField EGRESS_IFINDEX = new ContextField("egress_ifindex", 20, 4, FieldAccess.READ);

    public static final ContextLayout LAYOUT = new ContextLayout("xdp_md", 24,
            List.of(DATA, DATA_END, DATA_META, INGRESS_IFINDEX, RX_QUEUE_INDEX, EGRESS_IFINDEX));
}
