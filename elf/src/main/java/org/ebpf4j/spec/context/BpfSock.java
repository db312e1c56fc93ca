package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.NONE;
import static org.ebpf4j.spec.context.FieldAccess.READ;
import static org.ebpf4j.spec.context.FieldAccess.READ_WRITE;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.AttachType;

/**
 * {@code struct bpf_sock}, the context of BPF_PROG_TYPE_CGROUP_SOCK programs (include/uapi/linux/bpf.h), with
 * net/core/filter.c's {@code bpf_sock_is_valid_access} and {@code __sock_filter_check_attach_type}:
 * {@code bound_dev_if}, {@code mark} and {@code priority} are read and written whole by socket create and release
 * hooks only; the source address and port exist only for the post-bind hooks of their family; the addresses read
 * narrow (the IPv6 arrays in at most 4 bytes); {@code dst_port} (a {@code __be16}) may be read as a {@code __u32}
 * from its start, the padding after it not at all; {@code family}, {@code type}, {@code protocol},
 * {@code src_port}, {@code state} and {@code rx_queue_mapping} read narrow at their first byte only.
 */
public final class BpfSock {
    private BpfSock() {}

    public static final String STRUCT = "bpf_sock";
    public static final int SIZE = 80;

    private static final int NARROW_U32 = ContextField.widths(1, 2, 4);

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("bound_dev_if", 0, 4, READ_WRITE, false),
            new ContextField("family", 4, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY),
            new ContextField("type", 8, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY),
            new ContextField("protocol", 12, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY),
            new ContextField("mark", 16, 4, READ_WRITE, false),
            new ContextField("priority", 20, 4, READ_WRITE, false),
            new ContextField("src_ip4", 24, 4, READ),
            new ContextField("src_ip6", 28, 16, READ).withWidths(NARROW_U32, 0),
            new ContextField("src_port", 44, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY),
            new ContextField("dst_port", 48, 2, READ).withWidths(NARROW_U32, 0),
            new ContextField("dst_ip4", 52, 4, READ),
            new ContextField("dst_ip6", 56, 16, READ).withWidths(NARROW_U32, 0),
            new ContextField("state", 72, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY),
            new ContextField("rx_queue_mapping", 76, 4, READ).withNarrowRead(NarrowRead.AT_START_ONLY)));

    /**
     * The context as a program loaded for {@code expectedAttachType} sees it (0 is socket creation, as
     * bpf_prog_load_fixup_attach_type makes it), or empty for an attach type the kernel refuses for this type.
     */
    public static Optional<ContextLayout> layout(int expectedAttachType) {
        AttachType attach = expectedAttachType == 0 ? AttachType.CGROUP_INET_SOCK_CREATE
                : AttachType.of(expectedAttachType).orElse(AttachType.CGROUP_INET_INGRESS);
        return Optional.ofNullable(switch (attach) {
            case CGROUP_INET_SOCK_CREATE, CGROUP_INET_SOCK_RELEASE ->
                    LAYOUT.withAccess(NONE, "src_ip4", "src_ip6", "src_port");
            case CGROUP_INET4_POST_BIND -> LAYOUT.withAccess(NONE, "bound_dev_if", "mark", "priority", "src_ip6");
            case CGROUP_INET6_POST_BIND -> LAYOUT.withAccess(NONE, "bound_dev_if", "mark", "priority", "src_ip4");
            default -> null;
        });
    }
}
