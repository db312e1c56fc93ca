package org.ebpf4j.spec.context;

import java.util.Optional;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramType;

/** The context each program type receives: the one description the verifier and the engines share. */
public final class ProgramContexts {
    private ProgramContexts() {}

    /** The context layout of {@code type}, or empty for types whose context is not described yet. */
    public static Optional<ContextLayout> of(ProgramType type) {
        return switch (type) {
            case XDP -> Optional.of(XdpMd.LAYOUT);
            case SOCKET_FILTER -> Optional.of(SkBuff.SOCKET_FILTER);
            case SCHED_CLS, SCHED_ACT -> Optional.of(SkBuff.TC);
            case CGROUP_SKB -> Optional.of(SkBuff.CGROUP_SKB);
            case KPROBE -> Optional.of(PtRegs.LAYOUT);
            case PERF_EVENT -> Optional.of(PerfEventData.LAYOUT);
            case TRACEPOINT -> Optional.of(TracepointRecord.LAYOUT);
            case RAW_TRACEPOINT -> Optional.of(RawTracepointArgs.LAYOUT);
            case SYSCALL -> Optional.of(SyscallContext.LAYOUT);
            default -> Optional.empty();
        };
    }

    /**
     * The values the kernel lets a program of {@code type} return (check_return_code, for a program loaded with
     * {@code expectedAttachType}), or empty where the kernel allows any value. Meaningful for the types
     * {@link #of} describes: the kernel restricts other types (cgroup, LSM, struct_ops, ...) that ebpf4j does not
     * describe yet.
     */
    public static Optional<ReturnRange> returnRange(ProgramType type, int expectedAttachType) {
        return switch (type) {
            // BPF_CGROUP_INET_EGRESS programs may also ask for congestion notification (2 and 3).
            case CGROUP_SKB -> Optional.of(expectedAttachType == AttachType.CGROUP_INET_EGRESS.value()
                    ? new ReturnRange(0, 3) : new ReturnRange(0, 1));
            default -> Optional.empty();
        };
    }
}
