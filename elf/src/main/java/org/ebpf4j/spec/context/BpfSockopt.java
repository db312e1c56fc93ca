package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.KERNEL_POINTER;
import static org.ebpf4j.spec.context.FieldAccess.NONE;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_END;
import static org.ebpf4j.spec.context.FieldAccess.PACKET_START;
import static org.ebpf4j.spec.context.FieldAccess.READ;
import static org.ebpf4j.spec.context.FieldAccess.READ_WRITE;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.AttachType;

/**
 * {@code struct bpf_sockopt}, the context of BPF_PROG_TYPE_CGROUP_SOCKOPT programs (include/uapi/linux/bpf.h), with
 * kernel/bpf/cgroup.c's {@code cg_sockopt_is_valid_access}: {@code sk} a socket pointer; {@code optval} and
 * {@code optval_end} 8-byte packet pointers over the option's buffer; the other fields read and written whole,
 * {@code optlen} by both hooks, {@code level} and {@code optname} written by setsockopt hooks, {@code retval} read
 * and written by getsockopt hooks only.
 */
public final class BpfSockopt {
    private BpfSockopt() {}

    public static final String STRUCT = "bpf_sockopt";
    public static final int SIZE = 40;

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("sk", 0, 8, KERNEL_POINTER),
            new ContextField("optval", 8, 8, PACKET_START),
            new ContextField("optval_end", 16, 8, PACKET_END),
            new ContextField("level", 24, 4, READ_WRITE, false),
            new ContextField("optname", 28, 4, READ_WRITE, false),
            new ContextField("optlen", 32, 4, READ_WRITE, false),
            new ContextField("retval", 36, 4, READ_WRITE, false)));

    /** The context a getsockopt or setsockopt hook sees; empty for other attach types (the kernel refuses them). */
    public static Optional<ContextLayout> layout(int expectedAttachType) {
        if (expectedAttachType == AttachType.CGROUP_GETSOCKOPT.value()) {
            return Optional.of(LAYOUT.withAccess(READ, "level", "optname"));
        }
        if (expectedAttachType == AttachType.CGROUP_SETSOCKOPT.value()) {
            return Optional.of(LAYOUT.withAccess(NONE, "retval"));
        }
        return Optional.empty();
    }
}
