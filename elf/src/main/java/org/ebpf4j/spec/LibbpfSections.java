package org.ebpf4j.spec;

import static org.ebpf4j.spec.ProgramType.*;
import static org.ebpf4j.spec.SectionRows.*;
import static org.ebpf4j.spec.TargetFormat.*;

import java.util.List;

/**
 * libbpf's {@code SEC()} conventions as data: every section type of libbpf's section table as of libbpf 1.6 (the
 * libbpf of Linux 6.18), with the program type, expected attach type and load flags libbpf uses for it.
 *
 * <p>Sources: the kernel documentation page "Program Types and ELF Sections"
 * ({@code Documentation/bpf/libbpf/program_types.rst}) and its footnotes for the target formats; rows that page does
 * not list yet (tcx, netkit, netfilter, the multi and session probes, {@code usdt.s}, {@code sk_skb/verdict},
 * {@code struct_ops.s}, {@code cgroup/*_unix}) from libbpf's section definitions as of the same release. Rows are
 * in libbpf's order; a name matches at most one row either way, because exact rows never take a target and
 * {@code TYPE+} rows need {@code /} after the type.
 */
public final class LibbpfSections {

    private static final SectionOrigin L = SectionOrigin.LIBBPF;

    /** The table, in libbpf's order. */
    public static final List<SectionDefinition> DEFINITIONS = List.of(
            exact("socket", SOCKET_FILTER, null, L),
            exact("sk_reuseport/migrate", SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE, L),
            exact("sk_reuseport", SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT, L),

            targeted("kprobe+", KPROBE, null, KERNEL_FUNCTION, L),
            targeted("uprobe+", KPROBE, null, USER_FUNCTION, L),
            sleepable(targeted("uprobe.s+", KPROBE, null, USER_FUNCTION, L)),
            targeted("kretprobe+", KPROBE, null, KERNEL_FUNCTION, L),
            targeted("uretprobe+", KPROBE, null, USER_FUNCTION, L),
            sleepable(targeted("uretprobe.s+", KPROBE, null, USER_FUNCTION, L)),
            targeted("kprobe.multi+", KPROBE, AttachType.TRACE_KPROBE_MULTI, KERNEL_FUNCTION_PATTERN, L),
            targeted("kretprobe.multi+", KPROBE, AttachType.TRACE_KPROBE_MULTI, KERNEL_FUNCTION_PATTERN, L),
            targeted("kprobe.session+", KPROBE, AttachType.TRACE_KPROBE_SESSION, KERNEL_FUNCTION_PATTERN, L),
            targeted("uprobe.multi+", KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN, L),
            targeted("uretprobe.multi+", KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN, L),
            targeted("uprobe.session+", KPROBE, AttachType.TRACE_UPROBE_SESSION, USER_FUNCTION_PATTERN, L),
            sleepable(
                    targeted("uprobe.multi.s+", KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN, L)),
            sleepable(
                    targeted("uretprobe.multi.s+", KPROBE, AttachType.TRACE_UPROBE_MULTI, USER_FUNCTION_PATTERN, L)),
            sleepable(
                    targeted("uprobe.session.s+", KPROBE, AttachType.TRACE_UPROBE_SESSION, USER_FUNCTION_PATTERN, L)),
            targeted("ksyscall+", KPROBE, null, SYSCALL_NAME, L),
            targeted("kretsyscall+", KPROBE, null, SYSCALL_NAME, L),
            targeted("usdt+", KPROBE, null, USDT_PROBE, L),
            sleepable(targeted("usdt.s+", KPROBE, null, USDT_PROBE, L)),

            // libbpf treats tc/ingress and tc/egress as aliases of the tcx hooks, not of legacy tc.
            exact("tc/ingress", SCHED_CLS, AttachType.TCX_INGRESS, L),
            exact("tc/egress", SCHED_CLS, AttachType.TCX_EGRESS, L),
            exact("tcx/ingress", SCHED_CLS, AttachType.TCX_INGRESS, L),
            exact("tcx/egress", SCHED_CLS, AttachType.TCX_EGRESS, L),
            exact("tc", SCHED_CLS, null, L),
            exact("classifier", SCHED_CLS, null, L),
            exact("action", SCHED_ACT, null, L),
            exact("netkit/primary", SCHED_CLS, AttachType.NETKIT_PRIMARY, L),
            exact("netkit/peer", SCHED_CLS, AttachType.NETKIT_PEER, L),

            targeted("tracepoint+", TRACEPOINT, null, CATEGORY_AND_NAME, L),
            targeted("tp+", TRACEPOINT, null, CATEGORY_AND_NAME, L),
            targeted("raw_tracepoint+", RAW_TRACEPOINT, null, NAME, L),
            targeted("raw_tp+", RAW_TRACEPOINT, null, NAME, L),
            targeted("raw_tracepoint.w+", RAW_TRACEPOINT_WRITABLE, null, NAME, L),
            targeted("raw_tp.w+", RAW_TRACEPOINT_WRITABLE, null, NAME, L),
            btf("tp_btf+", TRACING, AttachType.TRACE_RAW_TP),
            btf("fentry+", TRACING, AttachType.TRACE_FENTRY),
            btf("fmod_ret+", TRACING, AttachType.MODIFY_RETURN),
            btf("fexit+", TRACING, AttachType.TRACE_FEXIT),
            sleepable(btf("fentry.s+", TRACING, AttachType.TRACE_FENTRY)),
            sleepable(btf("fmod_ret.s+", TRACING, AttachType.MODIFY_RETURN)),
            sleepable(btf("fexit.s+", TRACING, AttachType.TRACE_FEXIT)),
            btf("freplace+", EXT, null),
            btf("lsm+", LSM, AttachType.LSM_MAC),
            sleepable(btf("lsm.s+", LSM, AttachType.LSM_MAC)),
            btf("lsm_cgroup+", LSM, AttachType.LSM_CGROUP),
            btf("iter+", TRACING, AttachType.TRACE_ITER),
            sleepable(btf("iter.s+", TRACING, AttachType.TRACE_ITER)),
            sleepable(exact("syscall", SYSCALL, null, L)),

            xdpFrags(exact("xdp.frags/devmap", XDP, AttachType.XDP_DEVMAP, L)),
            exact("xdp/devmap", XDP, AttachType.XDP_DEVMAP, L),
            xdpFrags(exact("xdp.frags/cpumap", XDP, AttachType.XDP_CPUMAP, L)),
            exact("xdp/cpumap", XDP, AttachType.XDP_CPUMAP, L),
            xdpFrags(exact("xdp.frags", XDP, AttachType.XDP, L)),
            exact("xdp", XDP, AttachType.XDP, L),
            exact("perf_event", PERF_EVENT, null, L),
            exact("lwt_in", LWT_IN, null, L),
            exact("lwt_out", LWT_OUT, null, L),
            exact("lwt_xmit", LWT_XMIT, null, L),
            exact("lwt_seg6local", LWT_SEG6LOCAL, null, L),
            exact("sockops", SOCK_OPS, AttachType.CGROUP_SOCK_OPS, L),
            exact("sk_skb/stream_parser", SK_SKB, AttachType.SK_SKB_STREAM_PARSER, L),
            exact("sk_skb/stream_verdict", SK_SKB, AttachType.SK_SKB_STREAM_VERDICT, L),
            exact("sk_skb/verdict", SK_SKB, AttachType.SK_SKB_VERDICT, L),
            exact("sk_skb", SK_SKB, null, L),
            exact("sk_msg", SK_MSG, AttachType.SK_MSG_VERDICT, L),
            exact("lirc_mode2", LIRC_MODE2, AttachType.LIRC_MODE2, L),
            exact("flow_dissector", FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR, L),
            exact("cgroup_skb/ingress", CGROUP_SKB, AttachType.CGROUP_INET_INGRESS, L),
            exact("cgroup_skb/egress", CGROUP_SKB, AttachType.CGROUP_INET_EGRESS, L),
            exact("cgroup/skb", CGROUP_SKB, null, L),
            exact("cgroup/sock_create", CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, L),
            exact("cgroup/sock_release", CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_RELEASE, L),
            exact("cgroup/sock", CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE, L),
            exact("cgroup/post_bind4", CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND, L),
            exact("cgroup/post_bind6", CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND, L),
            exact("cgroup/bind4", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND, L),
            exact("cgroup/bind6", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND, L),
            exact("cgroup/connect4", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT, L),
            exact("cgroup/connect6", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT, L),
            exact("cgroup/connect_unix", CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_CONNECT, L),
            exact("cgroup/sendmsg4", CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG, L),
            exact("cgroup/sendmsg6", CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG, L),
            exact("cgroup/sendmsg_unix", CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_SENDMSG, L),
            exact("cgroup/recvmsg4", CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG, L),
            exact("cgroup/recvmsg6", CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_RECVMSG, L),
            exact("cgroup/recvmsg_unix", CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_RECVMSG, L),
            exact("cgroup/getpeername4", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETPEERNAME, L),
            exact("cgroup/getpeername6", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETPEERNAME, L),
            exact("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETPEERNAME, L),
            exact("cgroup/getsockname4", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETSOCKNAME, L),
            exact("cgroup/getsockname6", CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETSOCKNAME, L),
            exact("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETSOCKNAME, L),
            exact("cgroup/sysctl", CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL, L),
            exact("cgroup/getsockopt", CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT, L),
            exact("cgroup/setsockopt", CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT, L),
            exact("cgroup/dev", CGROUP_DEVICE, AttachType.CGROUP_DEVICE, L),
            targeted("struct_ops+", STRUCT_OPS, null, NAME, L),
            sleepable(targeted("struct_ops.s+", STRUCT_OPS, null, NAME, L)),
            exact("sk_lookup", SK_LOOKUP, AttachType.SK_LOOKUP, L),
            exact("netfilter", NETFILTER, AttachType.NETFILTER, L));

    private LibbpfSections() {
    }

    /** BTF-typed attach points: the target names a BTF function or hook and must be given. */
    private static SectionDefinition btf(String pattern, ProgramType type, AttachType attachType) {
        return targetRequired(targeted(pattern, type, attachType, NAME, L));
    }
}
