package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Context access and return values of the socket-level program types (sock_addr, sk_lookup, cgroup sock, sk_skb,
 * lwt, flow dissector, cgroup device, sysctl and sockopt, netfilter, sock_ops, sk_msg), one small program per rule,
 * verdicts and messages as Linux 6.18 gives them: {@link ContextAccessTest} runs the accepted and rejected cases,
 * this class the unsupported ones (SocketContextRulesAgainstKernelTest in the runtime module compares every access
 * with the running kernel).
 */
class SocketContextAccessTest {
    private static final ProgramType SOCK_ADDR = ProgramType.CGROUP_SOCK_ADDR;
    private static final VerifierOptions CONNECT4 = options(SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT);
    private static final VerifierOptions CONNECT6 = options(SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT);
    private static final VerifierOptions SENDMSG6 = options(SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG);
    private static final VerifierOptions RECVMSG4 = options(SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG);
    private static final VerifierOptions BIND4 = options(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND);
    private static final VerifierOptions SK_LOOKUP = options(ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP);
    private static final VerifierOptions SOCK_CREATE = new VerifierOptions(ProgramType.CGROUP_SOCK.value(), 0, 0,
            true);
    private static final VerifierOptions POST_BIND4 = options(ProgramType.CGROUP_SOCK,
            AttachType.CGROUP_INET4_POST_BIND);
    private static final VerifierOptions SK_SKB = new VerifierOptions(ProgramType.SK_SKB.value(), 0, 0, true);
    private static final VerifierOptions LWT_IN = new VerifierOptions(ProgramType.LWT_IN.value(), 0, 0, true);
    private static final VerifierOptions FLOW = options(ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR);
    private static final VerifierOptions DEVICE = new VerifierOptions(ProgramType.CGROUP_DEVICE.value(), 0, 0, true);
    private static final VerifierOptions SYSCTL = options(ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL);
    private static final VerifierOptions GETSOCKOPT = options(ProgramType.CGROUP_SOCKOPT,
            AttachType.CGROUP_GETSOCKOPT);
    private static final VerifierOptions SETSOCKOPT = options(ProgramType.CGROUP_SOCKOPT,
            AttachType.CGROUP_SETSOCKOPT);
    private static final VerifierOptions NETFILTER = options(ProgramType.NETFILTER, AttachType.NETFILTER);
    private static final VerifierOptions SOCK_OPS = options(ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS);
    private static final VerifierOptions SK_MSG = options(ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT);
    private static final String SOCK_OPS_SKB_BYTE = "r2 = *(u64 *)(r1 + 0xc0)\nr3 = *(u64 *)(r1 + 0xc8)\nr4 = r2\n"
            + "r4 += 1\nr0 = 1\nif r4 > r3 goto +1\n";

    private static final String PACKET_BYTE = "r2 = *(u32 *)(r1 + 0x4c)\nr3 = *(u32 *)(r1 + 0x50)\nr4 = r2\n"
            + "r4 += 1\nr0 = 0\nif r4 > r3 goto +1\n";

    private static VerifierOptions options(ProgramType type, AttachType attach) {
        return new VerifierOptions(type.value(), attach.value(), 0, true);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("sock_addr user_ip4 byte", CONNECT4, "r0 = *(u8 *)(r1 + 0x7)\nr0 = 1"),
                Arguments.of("sock_addr user_port write", CONNECT4, "*(u32 *)(r1 + 0x18) = 80\nr0 = 1"),
                Arguments.of("sock_addr user_ip6 8 bytes at a time", CONNECT6,
                        "r2 = *(u64 *)(r1 + 0x10)\n*(u64 *)(r1 + 0x8) = r2\nr0 = 1"),
                Arguments.of("sock_addr msg_src_ip6 for udp6 sendmsg", SENDMSG6, "r0 = *(u64 *)(r1 + 0x30)\nr0 = 1"),
                Arguments.of("sock_addr bind may return 3", BIND4, "r0 = 3"),
                Arguments.of("sk_lookup remote_port as a u32", SK_LOOKUP, "r0 = *(u32 *)(r1 + 0x24)\nr0 = 1"),
                Arguments.of("sk_lookup padding after remote_port", SK_LOOKUP, "r0 = *(u8 *)(r1 + 0x27)\nr0 = 0"),
                Arguments.of("cgroup sock family's first byte", SOCK_CREATE, "r0 = *(u8 *)(r1 + 0x4)\nr0 = 1"),
                Arguments.of("cgroup sock mark write on create", SOCK_CREATE, "*(u32 *)(r1 + 0x10) = 1\nr0 = 1"),
                Arguments.of("cgroup sock dst_port as a u32", POST_BIND4, "r0 = *(u32 *)(r1 + 0x30)\nr0 = 1"),
                Arguments.of("sk_skb tc_index write and packet write", SK_SKB,
                        "*(u32 *)(r1 + 0x2c) = 1\n" + PACKET_BYTE + "*(u8 *)(r2 + 0x0) = 1"),
                Arguments.of("lwt in cb write", LWT_IN, "*(u32 *)(r1 + 0x30) = 1\nr0 = 0"),
                Arguments.of("flow dissector packet read", FLOW, PACKET_BYTE + "r0 = *(u8 *)(r2 + 0x0)"),
                Arguments.of("device access_type byte", DEVICE, "r0 = *(u16 *)(r1 + 0x2)\nr0 = 1"),
                Arguments.of("sysctl file_pos write", SYSCTL, "*(u32 *)(r1 + 0x4) = 0\nr0 = 1"),
                Arguments.of("getsockopt retval write", GETSOCKOPT, "*(u32 *)(r1 + 0x24) = 0\nr0 = 1"),
                Arguments.of("setsockopt optval write", SETSOCKOPT, "r2 = *(u64 *)(r1 + 0x8)\n"
                        + "r3 = *(u64 *)(r1 + 0x10)\nr4 = r2\nr4 += 1\nr0 = 1\nif r4 > r3 goto +1\n"
                        + "*(u8 *)(r2 + 0x0) = 1"),
                Arguments.of("sock_ops reply and sk_txhash writes", SOCK_OPS,
                        "*(u32 *)(r1 + 0x4) = 1\n*(u32 *)(r1 + 0xa4) = 2\nr0 = 1"),
                Arguments.of("sock_ops skb_tcp_flags byte", SOCK_OPS, "r0 = *(u8 *)(r1 + 0xd4)\nr0 = 1"),
                Arguments.of("sock_ops reads the skb", SOCK_OPS, SOCK_OPS_SKB_BYTE + "r0 = *(u8 *)(r2 + 0x0)\nr0 = 1"),
                Arguments.of("sk_msg returns anything", SK_MSG, "r0 = *(u32 *)(r1 + 0x44)"));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("sock_addr IPv6 address in an IPv4 hook", CONNECT4, "r0 = *(u32 *)(r1 + 0x8)",
                        "invalid bpf_context access off=8 size=4"),
                Arguments.of("sock_addr user_ip4 in an IPv6 hook", CONNECT6, "r0 = *(u32 *)(r1 + 0x4)",
                        "invalid bpf_context access off=4 size=4"),
                Arguments.of("sock_addr narrow write", CONNECT4, "*(u16 *)(r1 + 0x18) = 80\nr0 = 1",
                        "invalid bpf_context access off=24 size=2"),
                Arguments.of("sock_addr msg_src_ip6 across elements", SENDMSG6, "r0 = *(u64 *)(r1 + 0x38)",
                        "invalid bpf_context access off=56 size=8"),
                Arguments.of("sock_addr family narrow", CONNECT4, "r0 = *(u8 *)(r1 + 0x1c)",
                        "invalid bpf_context access off=28 size=1"),
                Arguments.of("sock_addr family write", CONNECT4, "*(u32 *)(r1 + 0x1c) = 2\nr0 = 1",
                        "invalid bpf_context access off=28 size=4"),
                Arguments.of("sock_addr recvmsg must return 1", RECVMSG4, "r0 = 0",
                        "At program exit the register R0 has smin=0 smax=0 should have been in [1, 1]"),
                Arguments.of("sock_addr connect returns 2", CONNECT4, "r0 = 2",
                        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"),
                Arguments.of("sk_lookup write", SK_LOOKUP, "*(u32 *)(r1 + 0x8) = 2\nr0 = 1",
                        "invalid bpf_context access off=8 size=4"),
                Arguments.of("sk_lookup 8 bytes of an IPv6 address", SK_LOOKUP, "r0 = *(u64 *)(r1 + 0x18)",
                        "invalid bpf_context access off=24 size=8"),
                Arguments.of("sk_lookup half of sk", SK_LOOKUP, "r0 = *(u32 *)(r1 + 0x0)",
                        "invalid bpf_context access off=0 size=4"),
                Arguments.of("sk_lookup returns 2", SK_LOOKUP, "r0 = 2",
                        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"),
                Arguments.of("cgroup sock family's second byte", SOCK_CREATE, "r0 = *(u8 *)(r1 + 0x5)",
                        "invalid bpf_context access off=5 size=1"),
                Arguments.of("cgroup sock padding after dst_port", POST_BIND4, "r0 = *(u16 *)(r1 + 0x32)",
                        "invalid bpf_context access off=50 size=2"),
                Arguments.of("cgroup sock mark after bind", POST_BIND4, "r0 = *(u32 *)(r1 + 0x10)",
                        "invalid bpf_context access off=16 size=4"),
                Arguments.of("cgroup sock src_ip4 on create", SOCK_CREATE, "r0 = *(u32 *)(r1 + 0x18)",
                        "invalid bpf_context access off=24 size=4"),
                Arguments.of("sk_skb mark", SK_SKB, "r0 = *(u32 *)(r1 + 0x8)",
                        "invalid bpf_context access off=8 size=4"),
                Arguments.of("sk_skb cb write", SK_SKB, "*(u32 *)(r1 + 0x30) = 1\nr0 = 0",
                        "invalid bpf_context access off=48 size=4"),
                Arguments.of("lwt in packet write", LWT_IN, PACKET_BYTE + "*(u8 *)(r2 + 0x0) = 1",
                        "cannot write into packet"),
                Arguments.of("flow dissector len", FLOW, "r0 = *(u32 *)(r1 + 0x0)",
                        "invalid bpf_context access off=0 size=4"),
                Arguments.of("device major byte", DEVICE, "r0 = *(u8 *)(r1 + 0x4)",
                        "invalid bpf_context access off=4 size=1"),
                Arguments.of("sysctl write is read-only", SYSCTL, "*(u32 *)(r1 + 0x0) = 0\nr0 = 1",
                        "invalid bpf_context access off=0 size=4"),
                Arguments.of("setsockopt retval", SETSOCKOPT, "r0 = *(u32 *)(r1 + 0x24)",
                        "invalid bpf_context access off=36 size=4"),
                Arguments.of("getsockopt level write", GETSOCKOPT, "*(u32 *)(r1 + 0x18) = 0\nr0 = 1",
                        "invalid bpf_context access off=24 size=4"),
                Arguments.of("netfilter write", NETFILTER, "*(u64 *)(r1 + 0x0) = 0\nr0 = 1",
                        "invalid bpf_context access off=0 size=8"),
                Arguments.of("sock_ops replylong[1] write", SOCK_OPS, "*(u32 *)(r1 + 0x8) = 1\nr0 = 1",
                        "invalid bpf_context access off=8 size=4"),
                Arguments.of("sock_ops skb_tcp_flags second byte", SOCK_OPS, "r0 = *(u8 *)(r1 + 0xd5)",
                        "invalid bpf_context access off=213 size=1"),
                Arguments.of("sock_ops half of bytes_received", SOCK_OPS, "r0 = *(u32 *)(r1 + 0xa8)",
                        "invalid bpf_context access off=168 size=4"),
                Arguments.of("sock_ops skb write", SOCK_OPS, SOCK_OPS_SKB_BYTE + "*(u8 *)(r2 + 0x0) = 1",
                        "cannot write into packet"),
                Arguments.of("sock_ops returns 2", SOCK_OPS, "r0 = 2",
                        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"),
                Arguments.of("sk_msg narrow size", SK_MSG, "r0 = *(u16 *)(r1 + 0x44)",
                        "invalid bpf_context access off=68 size=2"),
                Arguments.of("sk_msg write", SK_MSG, "*(u32 *)(r1 + 0x44) = 0\nr0 = 1",
                        "invalid bpf_context access off=68 size=4"));
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("sock_addr sk", CONNECT4, "r0 = *(u64 *)(r1 + 0x40)\nr0 = 1",
                        "kernel object pointers read from the context (bpf_sock_addr->sk)"),
                Arguments.of("sk_lookup sk", SK_LOOKUP, "r0 = *(u64 *)(r1 + 0x0)\nr0 = 1",
                        "kernel object pointers read from the context (bpf_sk_lookup->sk)"),
                Arguments.of("flow dissector keys", FLOW, "r0 = *(u64 *)(r1 + 0x90)\nr0 = 0",
                        "kernel object pointers read from the context (__sk_buff->flow_keys)"),
                Arguments.of("netfilter skb", NETFILTER, "r0 = *(u64 *)(r1 + 0x8)\nr0 = 1",
                        "kernel object pointers read from the context (bpf_nf_ctx->skb)"),
                Arguments.of("sock_addr for an attach type the kernel refuses",
                        options(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET_INGRESS), "r0 = 1",
                        "program type BPF_PROG_TYPE_CGROUP_SOCK_ADDR with expected attach type 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void namesWhatItDoesNotSupport(String name, VerifierOptions options, String source, String feature) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\nexit\n"), options);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict);
        assertEquals(Verdict.Cause.UNSUPPORTED, rejected.cause(), rejected.message());
        assertEquals(feature + " not supported yet by ebpf4j's verifier", rejected.message());
    }
}
