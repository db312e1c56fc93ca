package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;
import static org.ebpf4j.spec.context.FieldAccess.NONE;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_END;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_META;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_START;
import static org.ebpf4j.spec.context.FieldAccess.READ;
import static org.ebpf4j.spec.context.FieldAccess.READ_WRITE;

import java.util.List;

/**
 * {@code struct __sk_buff}, the context of socket filters and TC classifiers/actions (include/uapi/linux/bpf.h),
 * with the access rules of net/core/filter.c's {@code sk_filter_is_valid_access} and
 * {@code tc_cls_act_is_valid_access}, and of cgroup skb programs with {@code cg_skb_is_valid_access}. Fields
 * socket filters and TC refuse ({@code family} to {@code local_port}, {@code flow_keys}) are
 * {@link FieldAccess#NONE} in the common layout; the socket's IPv4 and IPv6 addresses are read as whole
 * {@code __u32}s only (bpf_skb_is_valid_access); {@code sk} is a socket pointer, which no engine offers yet.
 */
public final class SkBuff {
    private SkBuff() {}

    private static final List<ContextField> FIELDS = List.of(
            new ContextField("len", 0, 4, READ),
            new ContextField("pkt_type", 4, 4, READ),
            new ContextField("mark", 8, 4, READ),
            new ContextField("queue_mapping", 12, 4, READ),
            new ContextField("protocol", 16, 4, READ),
            new ContextField("vlan_present", 20, 4, READ),
            new ContextField("vlan_tci", 24, 4, READ),
            new ContextField("vlan_proto", 28, 4, READ),
            new ContextField("priority", 32, 4, READ),
            new ContextField("ingress_ifindex", 36, 4, READ),
            new ContextField("ifindex", 40, 4, READ),
            new ContextField("tc_index", 44, 4, READ),
            new ContextField("cb", 48, 20, READ),
            new ContextField("hash", 68, 4, READ),
            new ContextField("tc_classid", 72, 4, READ),
            new ContextField("data", 76, 4, PACKET_START),
            new ContextField("data_end", 80, 4, PACKET_END),
            new ContextField("napi_id", 84, 4, READ),
            new ContextField("family", 88, 4, NONE),
            new ContextField("remote_ip4", 92, 4, NONE, false),
            new ContextField("local_ip4", 96, 4, NONE, false),
            new ContextField("remote_ip6", 100, 16, NONE, false),
            new ContextField("local_ip6", 116, 16, NONE, false),
            new ContextField("remote_port", 132, 4, NONE),
            new ContextField("local_port", 136, 4, NONE),
            new ContextField("data_meta", 140, 4, PACKET_META),
            new ContextField("flow_keys", 144, 8, NONE),
            new ContextField("tstamp", 152, 8, READ),
            new ContextField("wire_len", 160, 4, READ),
            new ContextField("gso_segs", 164, 4, READ),
            new ContextField("sk", 168, 8, KERNEL_POINTER),
            new ContextField("gso_size", 176, 4, READ),
            new ContextField("tstamp_type", 180, 1, READ),
            new ContextField("hwtstamp", 184, 8, READ));

    /** Every field with the rules common to both types; {@link #SOCKET_FILTER} and {@link #TC} refine it. */
    public static final ContextLayout LAYOUT = new ContextLayout("__sk_buff", 192, FIELDS);

    /** Socket filters: no packet pointers, no TC or timestamp fields; only {@code cb} is writable. */
    public static final ContextLayout SOCKET_FILTER = LAYOUT
            .withAccess(NONE, "tc_classid", "data", "data_meta", "data_end", "tstamp", "wire_len", "hwtstamp",
                    "tstamp_type")
            .withAccess(READ_WRITE, "cb");

    /**
     * cgroup skb programs (cg_skb_is_valid_access, as root): direct packet access without metadata, the socket's
     * addresses and ports readable (the IP fields whole {@code __u32}s only), {@code mark}, {@code priority},
     * {@code cb} and {@code tstamp} writable; no {@code tc_classid}, {@code wire_len} or {@code tstamp_type}.
     */
    public static final ContextLayout CGROUP_SKB = LAYOUT
            .withAccess(NONE, "tc_classid", "data_meta", "wire_len", "tstamp_type")
            .withAccess(READ, "family", "remote_ip4", "local_ip4", "remote_ip6", "local_ip6", "remote_port",
                    "local_port")
            .withAccess(READ_WRITE, "mark", "priority", "cb", "tstamp");

    /** TC classifiers and actions: direct packet access, and the fields a qdisc uses are writable. */
    public static final ContextLayout TC = LAYOUT
            .withAccess(READ_WRITE, "mark", "tc_index", "priority", "tc_classid", "cb", "tstamp", "queue_mapping");

    /**
     * sk_skb programs (sk_skb_is_valid_access): direct packet access without metadata, the socket's addresses and
     * ports readable, {@code tc_index} and {@code priority} writable; no {@code mark}, {@code tc_classid} or
     * timestamps.
     */
    public static final ContextLayout SK_SKB = LAYOUT
            .withAccess(NONE, "tc_classid", "data_meta", "tstamp", "wire_len", "hwtstamp", "mark", "tstamp_type")
            .withAccess(READ, "family", "remote_ip4", "local_ip4", "remote_ip6", "local_ip6", "remote_port",
                    "local_port")
            .withAccess(READ_WRITE, "tc_index", "priority");

    /**
     * Lightweight tunnel programs (lwt_is_valid_access): direct packet access without metadata, {@code mark},
     * {@code priority} and {@code cb} writable; no socket fields, {@code tc_classid} or timestamps.
     */
    public static final ContextLayout LWT = LAYOUT
            .withAccess(NONE, "tc_classid", "data_meta", "tstamp", "wire_len", "hwtstamp", "tstamp_type")
            .withAccess(READ_WRITE, "mark", "priority", "cb");

    /**
     * Flow dissectors (flow_dissector_is_valid_access): only the packet bounds and {@code flow_keys} (a pointer to
     * the dissector's {@code struct bpf_flow_keys}), nothing writable.
     */
    public static final ContextLayout FLOW_DISSECTOR = new ContextLayout(LAYOUT.structName(), LAYOUT.size(),
            LAYOUT.fields().stream().map(f -> switch (f.name()) {
                case "data", "data_end" -> f;
                case "flow_keys" -> f.withAccess(KERNEL_POINTER);
                default -> f.withAccess(NONE);
            }).toList());
}
