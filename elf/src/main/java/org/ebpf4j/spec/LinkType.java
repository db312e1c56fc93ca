package org.ebpf4j.spec;

import java.util.Optional;

/**
 * Link types ({@code enum bpf_link_type}): the kinds of attachment a {@code bpf_link} represents.
 *
 * <p>Numbers and names are those of the running Linux 6.18 kernel's {@code enum bpf_link_type}, read from its BTF
 * ({@code /sys/kernel/btf/vmlinux}) and checked against {@code include/uapi/linux/bpf.h}; see
 * {@code docs/linux-numbers.md}.
 */
public enum LinkType implements KernelEnum {
    UNSPEC(0),
    RAW_TRACEPOINT(1),
    TRACING(2),
    CGROUP(3),
    ITER(4),
    NETNS(5),
    XDP(6),
    PERF_EVENT(7),
    KPROBE_MULTI(8),
    STRUCT_OPS(9),
    NETFILTER(10),
    TCX(11),
    UPROBE_MULTI(12),
    NETKIT(13),
    SOCKMAP(14);

    private static final String PREFIX = "BPF_LINK_TYPE_";
    private static final KernelNumbers<LinkType> NUMBERS = new KernelNumbers<>("BPF link type", values());

    private final int value;

    LinkType(int value) {
        this.value = value;
    }

    @Override
    public int value() {
        return value;
    }

    /** The uapi name, e.g. {@code BPF_LINK_TYPE_RAW_TRACEPOINT}. */
    @Override
    public String kernelName() {
        return PREFIX + name();
    }

    /** The constant Linux numbers {@code value}, or empty when Linux 6.18 defines none. */
    public static Optional<LinkType> of(int value) {
        return NUMBERS.find(value);
    }

    /** The constant Linux numbers {@code value}; an {@link IllegalArgumentException} naming the number otherwise. */
    public static LinkType require(int value) {
        return NUMBERS.require(value);
    }
}
