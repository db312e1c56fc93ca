package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;
import static org.ebpf4j.spec.context.FieldAccess.NONE;
import static org.ebpf4j.spec.context.FieldAccess.READ;
import static org.ebpf4j.spec.context.FieldAccess.READ_WRITE;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.spec.AttachType;

/**
 * {@code struct bpf_sock_addr}, the context of BPF_PROG_TYPE_CGROUP_SOCK_ADDR programs (include/uapi/linux/bpf.h),
 * with net/core/filter.c's {@code sock_addr_is_valid_access}: the address fields exist only for the attach types
 * of their family, they read narrow (and 8 bytes at a time inside the IPv6 arrays) but are written whole
 * ({@code __u32}, or 8 bytes inside the arrays); {@code user_family}, {@code family}, {@code type} and
 * {@code protocol} read whole only; {@code sk} is a socket pointer.
 */
public final class BpfSockAddr {
    private BpfSockAddr() {}

    public static final String STRUCT = "bpf_sock_addr";
    public static final int SIZE = 72;

    private static final int ADDRESS_READS = ContextField.widths(1, 2, 4, 8);
    private static final int ADDRESS_WRITES = ContextField.widths(4, 8);

    /** Every field, each address readable and writable; {@link #layout} takes away what an attach type lacks. */
    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("user_family", 0, 4, READ, false),
            new ContextField("user_ip4", 4, 4, READ_WRITE),
            new ContextField("user_ip6", 8, 16, READ_WRITE).withWidths(ADDRESS_READS, ADDRESS_WRITES),
            new ContextField("user_port", 24, 4, READ_WRITE),
            new ContextField("family", 28, 4, READ, false),
            new ContextField("type", 32, 4, READ, false),
            new ContextField("protocol", 36, 4, READ, false),
            new ContextField("msg_src_ip4", 40, 4, READ_WRITE),
            new ContextField("msg_src_ip6", 44, 16, READ_WRITE).withWidths(ADDRESS_READS, ADDRESS_WRITES),
            new ContextField("sk", 64, 8, KERNEL_POINTER)));

    private static final Set<AttachType> IPV4 = Set.of(AttachType.CGROUP_INET4_BIND,
            AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET4_GETPEERNAME, AttachType.CGROUP_INET4_GETSOCKNAME,
            AttachType.CGROUP_UDP4_SENDMSG, AttachType.CGROUP_UDP4_RECVMSG);
    private static final Set<AttachType> IPV6 = Set.of(AttachType.CGROUP_INET6_BIND,
            AttachType.CGROUP_INET6_CONNECT, AttachType.CGROUP_INET6_GETPEERNAME, AttachType.CGROUP_INET6_GETSOCKNAME,
            AttachType.CGROUP_UDP6_SENDMSG, AttachType.CGROUP_UDP6_RECVMSG);
    private static final Set<AttachType> UNIX = Set.of(AttachType.CGROUP_UNIX_CONNECT,
            AttachType.CGROUP_UNIX_SENDMSG, AttachType.CGROUP_UNIX_RECVMSG, AttachType.CGROUP_UNIX_GETPEERNAME,
            AttachType.CGROUP_UNIX_GETSOCKNAME);

    /** Hooks whose programs must return 1 (they may only rewrite the address, not refuse the call). */
    private static final Set<AttachType> MUST_ALLOW = Set.of(AttachType.CGROUP_UDP4_RECVMSG,
            AttachType.CGROUP_UDP6_RECVMSG, AttachType.CGROUP_UNIX_RECVMSG, AttachType.CGROUP_INET4_GETPEERNAME,
            AttachType.CGROUP_INET6_GETPEERNAME, AttachType.CGROUP_UNIX_GETPEERNAME,
            AttachType.CGROUP_INET4_GETSOCKNAME, AttachType.CGROUP_INET6_GETSOCKNAME,
            AttachType.CGROUP_UNIX_GETSOCKNAME);

    /**
     * The context as a program loaded for {@code expectedAttachType} sees it, or empty for an attach type the
     * kernel refuses for this program type (bpf_prog_load_check_attach: EINVAL before the verifier).
     */
    public static Optional<ContextLayout> layout(int expectedAttachType) {
        AttachType attach = AttachType.of(expectedAttachType).orElse(AttachType.CGROUP_INET_INGRESS);
        if (!(IPV4.contains(attach) || IPV6.contains(attach) || UNIX.contains(attach))) {
            return Optional.empty();
        }
        ContextLayout layout = LAYOUT;
        if (!IPV4.contains(attach)) {
            layout = layout.withAccess(NONE, "user_ip4");
        }
        if (!IPV6.contains(attach)) {
            layout = layout.withAccess(NONE, "user_ip6");
        }
        if (attach != AttachType.CGROUP_UDP4_SENDMSG) {
            layout = layout.withAccess(NONE, "msg_src_ip4");
        }
        if (attach != AttachType.CGROUP_UDP6_SENDMSG) {
            layout = layout.withAccess(NONE, "msg_src_ip6");
        }
        return Optional.of(layout);
    }

    /** check_return_code: 1 only for recvmsg, getpeername and getsockname; bind may also ask for 2 and 3. */
    static ReturnRange returnRange(int expectedAttachType) {
        AttachType attach = AttachType.of(expectedAttachType).orElse(AttachType.CGROUP_INET_INGRESS);
        if (MUST_ALLOW.contains(attach)) {
            return new ReturnRange(1, 1);
        }
        boolean bind = attach == AttachType.CGROUP_INET4_BIND || attach == AttachType.CGROUP_INET6_BIND;
        return bind ? new ReturnRange(0, 3) : ReturnRange.ALLOW_OR_REFUSE;
    }
}
