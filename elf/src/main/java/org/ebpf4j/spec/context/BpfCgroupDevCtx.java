package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.READ;

import java.util.List;

/**
 * {@code struct bpf_cgroup_dev_ctx}, the context of BPF_PROG_TYPE_CGROUP_DEVICE programs (include/uapi/linux/bpf.h),
 * with kernel/bpf/cgroup.c's {@code cgroup_dev_is_valid_access}: read-only; {@code access_type} (the access and the
 * device type, 16 bits each) reads narrow, {@code major} and {@code minor} whole.
 */
public final class BpfCgroupDevCtx {
    private BpfCgroupDevCtx() {}

    public static final String STRUCT = "bpf_cgroup_dev_ctx";
    public static final int SIZE = 12;

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("access_type", 0, 4, READ),
            new ContextField("major", 4, 4, READ, false),
            new ContextField("minor", 8, 4, READ, false)));
}
