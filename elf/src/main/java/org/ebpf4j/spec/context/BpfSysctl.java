package org.ebpf4j.spec.context;

import static org.ebpf4j.spec.context.FieldAccess.READ;
import static org.ebpf4j.spec.context.FieldAccess.READ_WRITE;

import java.util.List;

/**
 * {@code struct bpf_sysctl}, the context of BPF_PROG_TYPE_CGROUP_SYSCTL programs (include/uapi/linux/bpf.h), with
 * kernel/bpf/cgroup.c's {@code sysctl_is_valid_access}: {@code write} (whether the sysctl is being written) reads
 * narrow; {@code file_pos} reads narrow and is written whole.
 */
public final class BpfSysctl {
    private BpfSysctl() {}

    public static final String STRUCT = "bpf_sysctl";
    public static final int SIZE = 8;

    public static final ContextLayout LAYOUT = new ContextLayout(STRUCT, SIZE, List.of(
            new ContextField("write", 0, 4, READ),
            new ContextField("file_pos", 4, 4, READ_WRITE)));
}
