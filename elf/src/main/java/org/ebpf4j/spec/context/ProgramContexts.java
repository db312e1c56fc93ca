package org.ebpf4j.spec.context;

import java.util.Optional;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramType;

/** The context each program type receives: the one description the verifier and the engines share. */
public final class ProgramContexts {
    private ProgramContexts() {}

    /**
     * The context layout of {@code type} for a program loaded with {@code expectedAttachType}, or empty for types
     * whose context is not described yet and for attach types the kernel refuses for {@code type}.
     */
    public static Optional<ContextLayout> of(ProgramType type, int expectedAttachType) {
        return switch (type) {
            case CGROUP_SOCK_ADDR -> BpfSockAddr.layout(expectedAttachType);
            case CGROUP_SOCK -> BpfSock.layout(expectedAttachType);
            case SK_LOOKUP -> expectedAttachType == AttachType.SK_LOOKUP.value()
                    ? Optional.of(BpfSkLookup.LAYOUT) : Optional.empty();
            case NETFILTER -> expectedAttachType == AttachType.NETFILTER.value()
                    ? Optional.of(BpfNfCtx.LAYOUT) : Optional.empty();
            case CGROUP_SOCKOPT -> BpfSockopt.layout(expectedAttachType);
            default -> of(type);
        };
    }

    /**
     * The context layout of {@code type} where it does not depend on the attach type, or empty for types whose
     * context is not described yet or depends on the attach type ({@link #of(ProgramType, int)}).
     */
    public static Optional<ContextLayout> of(ProgramType type) {
        return switch (type) {
            case SK_SKB -> Optional.of(SkBuff.SK_SKB);
            case LWT_IN, LWT_OUT, LWT_XMIT -> Optional.of(SkBuff.LWT);
            case FLOW_DISSECTOR -> Optional.of(SkBuff.FLOW_DISSECTOR);
            case CGROUP_DEVICE -> Optional.of(BpfCgroupDevCtx.LAYOUT);
            case CGROUP_SYSCTL -> Optional.of(BpfSysctl.LAYOUT);
            case SOCK_OPS -> Optional.of(BpfSockOps.LAYOUT);
            case SK_MSG -> Optional.of(SkMsgMd.LAYOUT);
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
     * {@link #of} describes: the kernel restricts other types (LSM, struct_ops, ...) that ebpf4j does not
     * describe yet.
     */
    public static Optional<ReturnRange> returnRange(ProgramType type, int expectedAttachType) {
        return switch (type) {
            // BPF_CGROUP_INET_EGRESS programs may also ask for congestion notification (2 and 3).
            case CGROUP_SKB -> Optional.of(expectedAttachType == AttachType.CGROUP_INET_EGRESS.value()
                    ? new ReturnRange(0, 3) : ReturnRange.ALLOW_OR_REFUSE);
            case CGROUP_SOCK_ADDR -> Optional.of(BpfSockAddr.returnRange(expectedAttachType));
            // SK_DROP or SK_PASS; NF_DROP or NF_ACCEPT; refuse or allow.
            case SK_LOOKUP, NETFILTER, CGROUP_SOCK, CGROUP_DEVICE, CGROUP_SYSCTL, CGROUP_SOCKOPT, SOCK_OPS ->
                    Optional.of(ReturnRange.ALLOW_OR_REFUSE);
            default -> Optional.empty();
        };
    }
}
