package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.api.Program;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.Errno;

/**
 * Attaching loaded programs to kernel hooks. Each attachment is a {@link LinuxLink}: closing it detaches the
 * program, and closing the program does not (the kernel keeps an attached program alive until its link goes).
 *
 * <pre>{@code
 * try (LinuxLink link = LinuxLinks.xdp(collection.program("count"), LinuxLinks.ifindex("eth0"), 0)) { ... }
 * }</pre>
 */
public final class LinuxLinks {
    /** {@code XDP_FLAGS_SKB_MODE} (if_link.h): generic XDP, in the stack, for drivers without native XDP. */
    public static final int XDP_FLAGS_SKB_MODE = 1 << 1;
    /** {@code XDP_FLAGS_DRV_MODE}: native XDP in the driver, refused where the driver has none. */
    public static final int XDP_FLAGS_DRV_MODE = 1 << 2;

    /** Which way through a network device a tcx program sees packets. */
    public enum TcxDirection {
        INGRESS(AttachType.TCX_INGRESS),
        EGRESS(AttachType.TCX_EGRESS);

        private final AttachType attachType;

        TcxDirection(AttachType attachType) {
            this.attachType = attachType;
        }
    }

    private LinuxLinks() {}

    /**
     * An XDP program on interface {@code ifindex}; {@code flags} 0 lets the kernel pick native XDP where the
     * driver has it and generic XDP otherwise, or one of the {@code XDP_FLAGS_*_MODE} forces a mode.
     */
    public static LinuxLink xdp(Program program, int ifindex, int flags) {
        try {
            return link(program, ifindex, AttachType.XDP, flags, "ifindex " + ifindex);
        } catch (LinuxBpfException noXdpLinks) {
            // Before 5.9 there are no XDP links (EINVAL): the attachment goes through netlink, as it always did.
            if (noXdpLinks.errnoValue() != Errno.EINVAL.value()) {
                throw noXdpLinks;
            }
            try {
                return xdpNetlink(program, ifindex, flags);
            } catch (RuntimeException alsoRefused) {
                noXdpLinks.addSuppressed(alsoRefused);
                throw noXdpLinks;
            }
        }
    }

    /**
     * An XDP program on interface {@code ifindex} through rtnetlink ({@code RTM_SETLINK}, {@code IFLA_XDP}), as
     * {@code ip link set dev ... xdp} attaches it: no {@code bpf_link}, so nothing to pin, and closing sets the
     * interface's program to none. {@code flags} as for {@link #xdp}, plus {@code XDP_FLAGS_UPDATE_IF_NOEXIST} (1).
     */
    public static LinuxLink xdpNetlink(Program program, int ifindex, int flags) {
        return NetlinkAttachments.xdp(linux(program), ifindex, flags);
    }

    /**
     * A {@code SCHED_CLS} program as a direct-action bpf filter on the clsact qdisc of interface {@code ifindex}
     * (the qdisc is created when absent and stays), at {@code priority} 1 to 65535, handle 1: tc's hook, for
     * kernels without tcx (before 6.6) and for what {@code tc filter show} should list. Closing removes the filter.
     */
    public static LinuxLink tc(Program program, int ifindex, TcxDirection direction, int priority) {
        return NetlinkAttachments.tc(linux(program), ifindex, direction, priority);
    }

    /** A {@code SCHED_CLS} program on interface {@code ifindex} through tcx (Linux 6.6), after those there. */
    public static LinuxLink tcx(Program program, int ifindex, TcxDirection direction) {
        return link(program, ifindex, direction.attachType, 0, "ifindex " + ifindex + " " + direction);
    }

    /**
     * A {@code SOCKET_FILTER} program on the socket {@code socketFd} (which the caller owns): the program's return
     * value is how many bytes of each packet the socket keeps, 0 dropping the packet.
     */
    public static LinuxLink socketFilter(Program program, int socketFd) {
        LinuxProgram p = linux(program);
        return SocketFilterLink.attach(p.fd(), socketFd, p.describe() + " on socket " + socketFd);
    }

    /** A {@code TRACEPOINT} program on {@code category/name} (tracefs {@code events/category/name}). */
    public static LinuxLink tracepoint(Program program, String category, String name) {
        return onPerfEvent(program, PerfEvents.tracepoint(category, name), "tracepoint " + category + "/" + name);
    }

    /**
     * A {@code KPROBE}-type program on the instruction at file offset {@code offset} of {@code binary} (a uprobe),
     * or on the return of the function starting there ({@code retprobe}), in every process.
     */
    public static LinuxLink uprobe(Program program, Path binary, long offset, boolean retprobe) {
        return onPerfEvent(program, PerfEvents.uprobe(binary, offset, retprobe),
                (retprobe ? "uretprobe " : "uprobe ") + binary + "+0x" + Long.toHexString(offset));
    }

    /**
     * A {@code KPROBE}-type program on the entry of function {@code symbol} of {@code binary} (from its
     * {@code .symtab} or {@code .dynsym}), or on its return ({@code retprobe}), in every process.
     */
    public static LinuxLink uprobe(Program program, Path binary, String symbol, boolean retprobe) {
        return uprobe(program, binary, UserSymbols.fileOffset(binary, symbol), retprobe);
    }

    /** A {@code RAW_TRACEPOINT} program on the raw tracepoint {@code name} ({@code sys_enter}, ...). */
    public static LinuxLink rawTracepoint(Program program, String name) {
        LinuxProgram p = linux(program);
        String description = p.describe() + " on raw tracepoint " + name;
        return new KernelLink(description, LinkCommands.rawTracepointOpen(p.fd(), name, description),
                Optional.empty());
    }

    /** A cgroup program on the cgroup v2 directory {@code cgroup}, at hook {@code type}. */
    public static LinuxLink cgroup(Program program, Path cgroup, AttachType type) {
        try (Fd directory = open(cgroup)) {
            // The link holds the cgroup itself: the directory's fd is needed only to name it.
            return link(program, directory.value(), type, 0, "cgroup " + cgroup);
        }
    }

    /** The index of the network interface {@code name} in this process's network namespace. */
    public static int ifindex(String name) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result result = Libc.IF_NAMETOINDEX.call(arena.allocateFrom(name));
            if (result.value() == 0) {
                throw new IllegalArgumentException("no network interface '" + name + "': "
                        + LinuxBpfException.describe(result.errno()));
            }
            return (int) result.value();
        }
    }

    private static LinuxLink link(Program program, int target, AttachType type, int flags, String where) {
        LinuxProgram p = linux(program);
        String description = p.describe() + " on " + where + " (" + type.kernelName() + ")";
        return new KernelLink(description, LinkCommands.create(p.fd(), target, type, flags, description),
                Optional.empty());
    }

    private static LinuxLink onPerfEvent(Program program, Fd event, String where) {
        LinuxProgram p = linux(program);
        String description = p.describe() + " on " + where;
        try {
            Fd link = LinkCommands.create(p.fd(), event.value(), AttachType.PERF_EVENT, 0, description);
            return new KernelLink(description, link, Optional.of(event));
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }

    private static Fd open(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result result = Libc.OPEN.call(arena.allocateFrom(path.toString()), Libc.O_RDONLY_CLOEXEC);
            if (result.failed()) {
                throw new LinuxAttachException("open of " + path, result.errno());
            }
            return new Fd((int) result.value());
        }
    }

    private static LinuxProgram linux(Program program) {
        if (program instanceof LinuxProgram p) {
            return p;
        }
        throw new IllegalArgumentException(program.name() + " was loaded by another backend, not into the kernel");
    }
}
