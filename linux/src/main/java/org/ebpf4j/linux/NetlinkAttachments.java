package org.ebpf4j.linux;

import java.nio.ByteOrder;

/**
 * XDP and tc attachments through rtnetlink, as iproute2 and libbpf's {@code bpf_xdp_attach}/{@code bpf_tc_attach}
 * make them: for kernels without XDP links (before 5.9) or tcx (before 6.6), and for tools that look for them
 * where {@code ip link} and {@code tc filter} show them.
 */
final class NetlinkAttachments {
    private static final int AF_UNSPEC = 0;
    /** {@code IFLA_XDP} and its nested {@code IFLA_XDP_FD}, {@code IFLA_XDP_FLAGS} ({@code if_link.h}). */
    private static final int IFLA_XDP = 43;
    private static final int IFLA_XDP_FD = 1;
    private static final int IFLA_XDP_FLAGS = 3;
    /** {@code TCA_KIND}, {@code TCA_OPTIONS} ({@code rtnetlink.h}). */
    private static final int TCA_KIND = 1;
    private static final int TCA_OPTIONS = 2;
    /** {@code TCA_BPF_FD}, {@code TCA_BPF_NAME}, {@code TCA_BPF_FLAGS}, {@code TCA_BPF_FLAG_ACT_DIRECT}. */
    private static final int TCA_BPF_FD = 6;
    private static final int TCA_BPF_NAME = 7;
    private static final int TCA_BPF_FLAGS = 8;
    private static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    /** {@code TC_H_CLSACT} (= {@code TC_H_INGRESS}) and the minor numbers of its two hooks. */
    private static final int TC_H_CLSACT = 0xFFFF_FFF1;
    private static final int TC_H_MIN_INGRESS = 0xFFF2;
    private static final int TC_H_MIN_EGRESS = 0xFFF3;
    /** {@code ETH_P_ALL}: the filter sees every protocol. */
    private static final int ETH_P_ALL = 0x0003;
    /** The filter handle libbpf's {@code bpf_tc_attach} uses by default. */
    private static final int FILTER_HANDLE = 1;
    private static final int EEXIST = 17;

    private NetlinkAttachments() {}

    /** XDP on {@code ifindex} by {@code RTM_SETLINK}; closing the link sets fd -1 with the same mode flags. */
    static LinuxLink xdp(LinuxProgram program, int ifindex, int flags) {
        String description = program.describe() + " on ifindex " + ifindex + " (netlink IFLA_XDP)";
        setXdp(ifindex, program.fd().value(), flags, description);
        return new NetlinkLink(description, () -> setXdp(ifindex, -1, flags, "detaching " + description));
    }

    private static void setXdp(int ifindex, int fd, int flags, String what) {
        try (Netlink netlink = Netlink.route()) {
            Netlink.Message message = new Netlink.Message()
                    .u8(AF_UNSPEC).u8(0).u16(0).u32(ifindex).u32(0).u32(0) // struct ifinfomsg
                    .nested(IFLA_XDP, xdp -> {
                        xdp.attributeU32(IFLA_XDP_FD, fd);
                        if (flags != 0) {
                            xdp.attributeU32(IFLA_XDP_FLAGS, flags);
                        }
                    });
            netlink.request(Netlink.RTM_SETLINK, 0, message, "RTM_SETLINK IFLA_XDP of " + what);
        }
    }

    /**
     * A {@code SCHED_CLS} program as a direct-action bpf filter on the clsact qdisc of {@code ifindex} (created when
     * absent, and left in place, as libbpf leaves its hook), at {@code priority} (1 to 65535) with handle 1.
     */
    static LinuxLink tc(LinuxProgram program, int ifindex, LinuxLinks.TcxDirection direction, int priority) {
        if (priority < 1 || priority > 0xFFFF) {
            throw new IllegalArgumentException("a tc filter priority is 1 to 65535, not " + priority);
        }
        String description = program.describe() + " on ifindex " + ifindex + " " + direction
                + " (tc clsact, priority " + priority + ")";
        int parent = TC_H_CLSACT & 0xFFFF_0000 | (direction == LinuxLinks.TcxDirection.INGRESS ? TC_H_MIN_INGRESS
                : TC_H_MIN_EGRESS);
        int info = priority << 16 | protocolAll();
        try (Netlink netlink = Netlink.route()) {
            createClsact(netlink, ifindex, description);
            Netlink.Message filter = tcmsg(ifindex, FILTER_HANDLE, parent, info)
                    .attributeString(TCA_KIND, "bpf")
                    .nested(TCA_OPTIONS, options -> options
                            .attributeU32(TCA_BPF_FD, program.fd().value())
                            .attributeString(TCA_BPF_NAME, program.name())
                            .attributeU32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT));
            netlink.request(Netlink.RTM_NEWTFILTER, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, filter,
                    "RTM_NEWTFILTER of " + description);
        }
        return new NetlinkLink(description, () -> {
            try (Netlink netlink = Netlink.route()) {
                netlink.request(Netlink.RTM_DELTFILTER, 0, tcmsg(ifindex, FILTER_HANDLE, parent, info),
                        "RTM_DELTFILTER of " + description);
            }
        });
    }

    private static void createClsact(Netlink netlink, int ifindex, String description) {
        Netlink.Message qdisc = tcmsg(ifindex, TC_H_CLSACT & 0xFFFF_0000, TC_H_CLSACT, 0)
                .attributeString(TCA_KIND, "clsact");
        try {
            netlink.request(Netlink.RTM_NEWQDISC, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, qdisc,
                    "RTM_NEWQDISC clsact for " + description);
        } catch (LinuxAttachException e) {
            if (e.errnoValue() != EEXIST) {
                throw e;
            }
        }
    }

    /** {@code struct tcmsg}: family, padding, ifindex, handle, parent, info. */
    private static Netlink.Message tcmsg(int ifindex, int handle, int parent, int info) {
        return new Netlink.Message().u8(AF_UNSPEC).u8(0).u16(0).u32(ifindex).u32(handle).u32(parent).u32(info);
    }

    /** {@code htons(ETH_P_ALL)} as the low half of {@code tcm_info}, which is a host-order u32. */
    private static int protocolAll() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL)) : ETH_P_ALL;
    }
}
