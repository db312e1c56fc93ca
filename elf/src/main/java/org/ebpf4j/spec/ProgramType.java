package org.ebpf4j.spec;

import java.util.Optional;

/**
 * Program types ({@code enum bpf_prog_type}): what a program is allowed to do, its context and its helpers.
 *
 * <p>Numbers and names are those of the running Linux 6.18 kernel's {@code enum bpf_prog_type}, read from its BTF
 * ({@code /sys/kernel/btf/vmlinux}) and checked against {@code include/uapi/linux/bpf.h}; see
 * {@code docs/linux-numbers.md}.
 */
public enum ProgramType implements KernelEnum {
    UNSPEC(0),
    SOCKET_FILTER(1),
    KPROBE(2),
    SCHED_CLS(3),
    SCHED_ACT(4),
    TRACEPOINT(5),
    XDP(6),
    PERF_EVENT(7),
    CGROUP_SKB(8),
    CGROUP_SOCK(9),
    LWT_IN(10),
    LWT_OUT(11),
    LWT_XMIT(12),
    SOCK_OPS(13),
    SK_SKB(14),
    CGROUP_DEVICE(15),
    SK_MSG(16),
    RAW_TRACEPOINT(17),
    CGROUP_SOCK_ADDR(18),
    LWT_SEG6LOCAL(19),
    LIRC_MODE2(20),
    SK_REUSEPORT(21),
    FLOW_DISSECTOR(22),
    CGROUP_SYSCTL(23),
    RAW_TRACEPOINT_WRITABLE(24),
    CGROUP_SOCKOPT(25),
    TRACING(26),
    STRUCT_OPS(27),
    EXT(28),
    LSM(29),
    SK_LOOKUP(30),
    SYSCALL(31),
    NETFILTER(32);

    private static final String PREFIX = "BPF_PROG_TYPE_";
    private static final KernelNumbers<ProgramType> NUMBERS = new KernelNumbers<>("BPF program type", values());

    private final int value;

    ProgramType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The uapi name, e.g. {@code BPF_PROG_TYPE_SOCKET_FILTER}. */
    @Override
    public String kernelName() {
        return PREFIX + name();
    }

    /** The constant Linux numbers {@code value}, or empty when Linux 6.18 defines none. */
    public static Optional<ProgramType> of(int value) {
        return NUMBERS.find(value);
    }

    /** The constant Linux numbers {@code value}; an {@link IllegalArgumentException} naming the number otherwise. */
    public static ProgramType require(int value) {
        return NUMBERS.require(value);
    }
}
