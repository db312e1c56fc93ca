package org.ebpf4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Section name -> (program type, expected attach type, sleepable, XDP frags), one case per table row at least,
 * with the values of libbpf's "Program Types and ELF Sections" page and libbpf's section definitions.
 */
class SectionNamesTableTest {

    // section | program type | attach type or - | s = sleepable, f = xdp frags, r = target required, - = none
    static final List<String> CASES = List.of(
            "socket | SOCKET_FILTER | - | -",
            "sk_reuseport/migrate | SK_REUSEPORT | SK_REUSEPORT_SELECT_OR_MIGRATE | -",
            "sk_reuseport | SK_REUSEPORT | SK_REUSEPORT_SELECT | -",
            "kprobe/do_unlinkat | KPROBE | - | -",
            "kprobe | KPROBE | - | -",
            "uprobe//usr/lib/libc.so.6:malloc | KPROBE | - | -",
            "uprobe.s//bin/bash:readline | KPROBE | - | s",
            "kretprobe/do_sys_openat2 | KPROBE | - | -",
            "uretprobe//bin/bash:readline | KPROBE | - | -",
            "uretprobe.s//bin/bash:readline | KPROBE | - | s",
            "kprobe.multi/tcp_* | KPROBE | TRACE_KPROBE_MULTI | -",
            "kretprobe.multi/vfs_* | KPROBE | TRACE_KPROBE_MULTI | -",
            "kprobe.session/bpf_fentry_test? | KPROBE | TRACE_KPROBE_SESSION | -",
            "uprobe.multi//bin/bash:read* | KPROBE | TRACE_UPROBE_MULTI | -",
            "uretprobe.multi//bin/bash:read* | KPROBE | TRACE_UPROBE_MULTI | -",
            "uprobe.session//bin/bash:read* | KPROBE | TRACE_UPROBE_SESSION | -",
            "uprobe.multi.s//bin/bash:read* | KPROBE | TRACE_UPROBE_MULTI | s",
            "uretprobe.multi.s//bin/bash:read* | KPROBE | TRACE_UPROBE_MULTI | s",
            "uprobe.session.s//bin/bash:read* | KPROBE | TRACE_UPROBE_SESSION | s",
            "ksyscall/openat | KPROBE | - | -",
            "kretsyscall/openat | KPROBE | - | -",
            "usdt/./app:myprov:myprobe | KPROBE | - | -",
            "usdt.s/./app:myprov:myprobe | KPROBE | - | s",
            "tc/ingress | SCHED_CLS | TCX_INGRESS | -",
            "tc/egress | SCHED_CLS | TCX_EGRESS | -",
            "tcx/ingress | SCHED_CLS | TCX_INGRESS | -",
            "tcx/egress | SCHED_CLS | TCX_EGRESS | -",
            "tc | SCHED_CLS | - | -",
            "classifier | SCHED_CLS | - | -",
            "action | SCHED_ACT | - | -",
            "netkit/primary | SCHED_CLS | NETKIT_PRIMARY | -",
            "netkit/peer | SCHED_CLS | NETKIT_PEER | -",
            "tracepoint/syscalls/sys_enter_openat | TRACEPOINT | - | -",
            "tp/sched/sched_switch | TRACEPOINT | - | -",
            "raw_tracepoint/sched_switch | RAW_TRACEPOINT | - | -",
            "raw_tp/sys_enter | RAW_TRACEPOINT | - | -",
            "raw_tracepoint.w/bpf_test_finish | RAW_TRACEPOINT_WRITABLE | - | -",
            "raw_tp.w/bpf_test_finish | RAW_TRACEPOINT_WRITABLE | - | -",
            "tp_btf/sched_switch | TRACING | TRACE_RAW_TP | r",
            "fentry/do_unlinkat | TRACING | TRACE_FENTRY | r",
            "fmod_ret/security_file_open | TRACING | MODIFY_RETURN | r",
            "fexit/do_unlinkat | TRACING | TRACE_FEXIT | r",
            "fentry.s/do_unlinkat | TRACING | TRACE_FENTRY | sr",
            "fmod_ret.s/security_file_open | TRACING | MODIFY_RETURN | sr",
            "fexit.s/do_unlinkat | TRACING | TRACE_FEXIT | sr",
            "freplace/handle_packet | EXT | - | r",
            "lsm/file_open | LSM | LSM_MAC | r",
            "lsm.s/bprm_committed_creds | LSM | LSM_MAC | sr",
            "lsm_cgroup/socket_bind | LSM | LSM_CGROUP | r",
            "iter/task | TRACING | TRACE_ITER | r",
            "iter.s/task_file | TRACING | TRACE_ITER | sr",
            "syscall | SYSCALL | - | s",
            "xdp.frags/devmap | XDP | XDP_DEVMAP | f",
            "xdp/devmap | XDP | XDP_DEVMAP | -",
            "xdp.frags/cpumap | XDP | XDP_CPUMAP | f",
            "xdp/cpumap | XDP | XDP_CPUMAP | -",
            "xdp.frags | XDP | XDP | f",
            "xdp | XDP | XDP | -",
            "perf_event | PERF_EVENT | - | -",
            "lwt_in | LWT_IN | - | -",
            "lwt_out | LWT_OUT | - | -",
            "lwt_xmit | LWT_XMIT | - | -",
            "lwt_seg6local | LWT_SEG6LOCAL | - | -",
            "sockops | SOCK_OPS | CGROUP_SOCK_OPS | -",
            "sk_skb/stream_parser | SK_SKB | SK_SKB_STREAM_PARSER | -",
            "sk_skb/stream_verdict | SK_SKB | SK_SKB_STREAM_VERDICT | -",
            "sk_skb/verdict | SK_SKB | SK_SKB_VERDICT | -",
            "sk_skb | SK_SKB | - | -",
            "sk_msg | SK_MSG | SK_MSG_VERDICT | -",
            "lirc_mode2 | LIRC_MODE2 | LIRC_MODE2 | -",
            "flow_dissector | FLOW_DISSECTOR | FLOW_DISSECTOR | -",
            "cgroup_skb/ingress | CGROUP_SKB | CGROUP_INET_INGRESS | -",
            "cgroup_skb/egress | CGROUP_SKB | CGROUP_INET_EGRESS | -",
            "cgroup/skb | CGROUP_SKB | - | -",
            "cgroup/sock_create | CGROUP_SOCK | CGROUP_INET_SOCK_CREATE | -",
            "cgroup/sock_release | CGROUP_SOCK | CGROUP_INET_SOCK_RELEASE | -",
            "cgroup/sock | CGROUP_SOCK | CGROUP_INET_SOCK_CREATE | -",
            "cgroup/post_bind4 | CGROUP_SOCK | CGROUP_INET4_POST_BIND | -",
            "cgroup/post_bind6 | CGROUP_SOCK | CGROUP_INET6_POST_BIND | -",
            "cgroup/bind4 | CGROUP_SOCK_ADDR | CGROUP_INET4_BIND | -",
            "cgroup/bind6 | CGROUP_SOCK_ADDR | CGROUP_INET6_BIND | -",
            "cgroup/connect4 | CGROUP_SOCK_ADDR | CGROUP_INET4_CONNECT | -",
            "cgroup/connect6 | CGROUP_SOCK_ADDR | CGROUP_INET6_CONNECT | -",
            "cgroup/connect_unix | CGROUP_SOCK_ADDR | CGROUP_UNIX_CONNECT | -",
            "cgroup/sendmsg4 | CGROUP_SOCK_ADDR | CGROUP_UDP4_SENDMSG | -",
            "cgroup/sendmsg6 | CGROUP_SOCK_ADDR | CGROUP_UDP6_SENDMSG | -",
            "cgroup/sendmsg_unix | CGROUP_SOCK_ADDR | CGROUP_UNIX_SENDMSG | -",
            "cgroup/recvmsg4 | CGROUP_SOCK_ADDR | CGROUP_UDP4_RECVMSG | -",
            "cgroup/recvmsg6 | CGROUP_SOCK_ADDR | CGROUP_UDP6_RECVMSG | -",
            "cgroup/recvmsg_unix | CGROUP_SOCK_ADDR | CGROUP_UNIX_RECVMSG | -",
            "cgroup/getpeername4 | CGROUP_SOCK_ADDR | CGROUP_INET4_GETPEERNAME | -",
            "cgroup/getpeername6 | CGROUP_SOCK_ADDR | CGROUP_INET6_GETPEERNAME | -",
            "cgroup/getpeername_unix | CGROUP_SOCK_ADDR | CGROUP_UNIX_GETPEERNAME | -",
            "cgroup/getsockname4 | CGROUP_SOCK_ADDR | CGROUP_INET4_GETSOCKNAME | -",
            "cgroup/getsockname6 | CGROUP_SOCK_ADDR | CGROUP_INET6_GETSOCKNAME | -",
            "cgroup/getsockname_unix | CGROUP_SOCK_ADDR | CGROUP_UNIX_GETSOCKNAME | -",
            "cgroup/sysctl | CGROUP_SYSCTL | CGROUP_SYSCTL | -",
            "cgroup/getsockopt | CGROUP_SOCKOPT | CGROUP_GETSOCKOPT | -",
            "cgroup/setsockopt | CGROUP_SOCKOPT | CGROUP_SETSOCKOPT | -",
            "cgroup/dev | CGROUP_DEVICE | CGROUP_DEVICE | -",
            "struct_ops/dctcp_init | STRUCT_OPS | - | -",
            "struct_ops.s/init | STRUCT_OPS | - | s",
            "sk_lookup | SK_LOOKUP | SK_LOOKUP | -",
            "netfilter | NETFILTER | NETFILTER | -",
            "jvm/method/entry/java.util.HashMap#put | KPROBE | - | -",
            "jvm/method/exit/java.util.HashMap#get | KPROBE | - | -",
            "jvm/tracepoint/gc/collection_end | TRACEPOINT | - | -",
            "jvm/timer/10ms | PERF_EVENT | - | -");

    record Case(String section, ProgramType type, Optional<AttachType> attach, boolean sleepable, boolean frags,
            boolean required) {
        static Case parse(String line) {
            String[] f = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            Optional<AttachType> attach = f[2].equals("-") ? Optional.empty() : Optional.of(AttachType.valueOf(f[2]));
            return new Case(f[0], ProgramType.valueOf(f[1]), attach, f[3].contains("s"), f[3].contains("f"),
                    f[3].contains("r"));
        }

        @Override
        public String toString() {
            return section;
        }
    }

    static Stream<Case> cases() {
        return CASES.stream().map(Case::parse);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void resolves(Case expected) {
        var match = assertInstanceOf(SectionMatch.Known.class, SectionNames.resolve(expected.section()));
        assertEquals(expected.type(), match.programType(), "program type");
        assertEquals(expected.attach(), match.expectedAttachType(), "expected attach type");
        assertEquals(expected.sleepable(), match.sleepable(), "sleepable");
        assertEquals(expected.frags(), match.definition().xdpFrags(), "xdp frags");
        assertEquals(expected.required(), match.definition().targetRequired(), "target required");
        assertEquals((expected.sleepable() ? ProgramLoadFlags.BPF_F_SLEEPABLE : 0)
                | (expected.frags() ? ProgramLoadFlags.BPF_F_XDP_HAS_FRAGS : 0),
                match.definition().programLoadFlags());
        assertTrue(!(match.target() instanceof AttachTarget.Malformed), () -> "malformed: " + match.target());
    }

    @Test
    void everyTableRowIsCovered() {
        Set<SectionDefinition> covered = new HashSet<>();
        cases().forEach(c -> covered.add(((SectionMatch.Known) SectionNames.resolve(c.section())).definition()));
        for (SectionDefinition definition : SectionNames.DEFINITIONS) {
            assertTrue(covered.contains(definition), "no case for " + definition.pattern());
        }
        assertEquals(103, LibbpfSections.DEFINITIONS.size());
        assertEquals(4, JvmSections.DEFINITIONS.size());
    }

    @Test
    void eachNameMatchesAtMostOneRow() {
        cases().forEach(c -> assertEquals(1, SectionNames.DEFINITIONS.stream()
                .filter(d -> d.targetTextOf(c.section()).isPresent()).count(), c.section()));
    }

    @Test
    void patternsAreUnique() {
        Set<String> patterns = new HashSet<>();
        for (SectionDefinition definition : SectionNames.DEFINITIONS) {
            assertTrue(patterns.add(definition.type()), definition.pattern());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "xdp/foo", // "xdp" is exact; libbpf 1.0 no longer guesses from prefixes
            "tc/foo", "tcx", "tcx/ingress/x", "socket/1", "kprobe.multi.s/x", "kprobes/foo", "kprobe_foo",
            "uprobe.x/bin:f", "sk_skb/parser", "cgroup/connect", "cgroup", "xdp_devmap", ".text", "license",
            ".maps", "", "jvm", "jvm/method", "jvm/method/return/A#b", "JVM/timer/1s", "XDP", "sec1"})
    void unknownNamesAreReportedNotThrown(String section) {
        assertEquals(new SectionMatch.Unknown(section), SectionNames.resolve(section));
    }

    @Test
    void btfSectionsWithoutTargetLoadOnlyWithACallerSuppliedTarget() {
        var fentry = (SectionMatch.Known) SectionNames.resolve("fentry");
        assertTrue(fentry.missingRequiredTarget());
        var kprobe = (SectionMatch.Known) SectionNames.resolve("kprobe");
        assertEquals(new AttachTarget.None(), kprobe.target());
        assertTrue(!kprobe.missingRequiredTarget());
    }

    @Test
    void tcAndTcxAreDifferentHooks() {
        var tc = (SectionMatch.Known) SectionNames.resolve("tc");
        var tcIngress = (SectionMatch.Known) SectionNames.resolve("tc/ingress");
        var tcxIngress = (SectionMatch.Known) SectionNames.resolve("tcx/ingress");
        assertEquals(ProgramType.SCHED_CLS, tc.programType());
        assertEquals(Optional.empty(), tc.expectedAttachType());
        assertEquals(tcxIngress.expectedAttachType(), tcIngress.expectedAttachType());
    }
}
