package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Context loads and stores per program type (is_valid_access), with the kernel's messages. */
class ContextAccessTest {
    private static final VerifierOptions XDP = new VerifierOptions(ProgramType.XDP.value(), 0, 0, true);
    private static final VerifierOptions TC = new VerifierOptions(ProgramType.SCHED_CLS.value(), 0, 0, true);
    private static final VerifierOptions SOCKET = VerifierOptions.socketFilter();
    private static final VerifierOptions KPROBE = new VerifierOptions(ProgramType.KPROBE.value(), 0, 0, true);
    private static final VerifierOptions TRACEPOINT = new VerifierOptions(ProgramType.TRACEPOINT.value(), 0, 0, true);
    private static final VerifierOptions RAW_TP = new VerifierOptions(ProgramType.RAW_TRACEPOINT.value(), 0, 0, true);
    private static final VerifierOptions PERF = new VerifierOptions(ProgramType.PERF_EVENT.value(), 0, 0, true);
    private static final VerifierOptions CGROUP_SKB = new VerifierOptions(ProgramType.CGROUP_SKB.value(), 0, 0, true);
    private static final VerifierOptions CGROUP_EGRESS = new VerifierOptions(ProgramType.CGROUP_SKB.value(),
            org.ebpf4j.spec.AttachType.CGROUP_INET_EGRESS.value(), 0, true);
    private static final VerifierOptions SYSCALL = new VerifierOptions(ProgramType.SYSCALL.value(), 0,
            org.ebpf4j.spec.ProgramLoadFlags.BPF_F_SLEEPABLE, true);
    private static final VerifierOptions RAW_TP_WRITABLE =
            new VerifierOptions(ProgramType.RAW_TRACEPOINT_WRITABLE.value(), 0, 0, true);

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("xdp ingress_ifindex", XDP, "r0 = *(u32 *)(r1 + 0xc)"),
                Arguments.of("xdp packet pointers", XDP,
                        "r2 = *(u32 *)(r1 + 0x0)\nr3 = *(u32 *)(r1 + 0x4)\nr4 = *(u32 *)(r1 + 0x8)\nr0 = 0"),
                Arguments.of("socket filter narrow read of len", SOCKET, "r0 = *(u8 *)(r1 + 0x3)"),
                Arguments.of("socket filter cb write", SOCKET, "r2 = 1\n*(u64 *)(r1 + 0x30) = r2\nr0 = 0"),
                Arguments.of("tc mark write", TC, "*(u32 *)(r1 + 0x8) = 1\nr0 = 0"),
                Arguments.of("tc tstamp", TC, "r0 = *(u64 *)(r1 + 0x98)"),
                Arguments.of("tc tstamp_type byte", TC, "r0 = *(u8 *)(r1 + 0xb4)"),
                Arguments.of("kprobe pt_regs->di", KPROBE, "r0 = *(u64 *)(r1 + 0x70)"),
                Arguments.of("kprobe low byte of ss", KPROBE, "r0 = *(u8 *)(r1 + 0xa0)"),
                Arguments.of("tracepoint field after the common ones", TRACEPOINT, "r0 = *(u32 *)(r1 + 0x8)"),
                Arguments.of("tracepoint last byte", TRACEPOINT, "r0 = *(u8 *)(r1 + 0x1fff)"),
                Arguments.of("tracepoint before the record (the kernel's unsigned comparison)", TRACEPOINT,
                        "r0 = *(u64 *)(r1 - 0x10)"),
                Arguments.of("raw tracepoint args[11]", RAW_TP, "r0 = *(u64 *)(r1 + 0x58)"),
                Arguments.of("raw tracepoint narrow arg", RAW_TP, "r0 = *(u16 *)(r1 + 0x2)"),
                Arguments.of("perf regs", PERF, "r0 = *(u64 *)(r1 + 0x80)"),
                Arguments.of("perf sample_period by halves", PERF, "r0 = *(u32 *)(r1 + 0xac)"),
                Arguments.of("perf addr byte", PERF, "r0 = *(u8 *)(r1 + 0xb7)"),
                Arguments.of("cgroup skb socket fields", CGROUP_SKB,
                        "r2 = *(u32 *)(r1 + 0x58)\nr3 = *(u32 *)(r1 + 0x70)\nr4 = *(u16 *)(r1 + 0x84)\nr0 = 1"),
                Arguments.of("cgroup skb writes", CGROUP_SKB,
                        "*(u32 *)(r1 + 0x8) = 1\n*(u32 *)(r1 + 0x20) = 2\nr2 = 3\n*(u64 *)(r1 + 0x98) = r2\nr0 = 1"),
                Arguments.of("cgroup skb direct packet access", CGROUP_SKB, "r2 = *(u32 *)(r1 + 0x4c)\n"
                        + "r3 = *(u32 *)(r1 + 0x50)\nr4 = r2\nr4 += 1\nr0 = 0\nif r4 > r3 goto +1\n"
                        + "r0 = *(u8 *)(r2 + 0x0)\nr0 &= 1"),
                Arguments.of("cgroup egress may return 3", CGROUP_EGRESS, "r0 = 3"),
                Arguments.of("syscall buffer read and write", SYSCALL,
                        "r2 = *(u64 *)(r1 + 0x7ff8)\n*(u8 *)(r1 + 0x3) = 1\nr0 = 0"),
                Arguments.of("narrow read is zero-extended", SOCKET,
                        "r0 = *(u16 *)(r1 + 0x0)\nif r0 <= 0xffff goto +1\nr0 = *(u64 *)(r0 + 0x0)\nr0 = 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"accepted", "org.ebpf4j.verifier.SocketContextAccessTest#accepted"})
    void accepts(String name, VerifierOptions options, String source) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\nexit\n"), options);
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("xdp narrow read", XDP, "r0 = *(u8 *)(r1 + 0x0)", "invalid bpf_context access off=0 size=1"),
                Arguments.of("xdp write", XDP, "*(u32 *)(r1 + 0xc) = 0\nr0 = 0",
                        "invalid bpf_context access off=12 size=4"),
                Arguments.of("xdp egress_ifindex outside a device map", XDP, "r0 = *(u32 *)(r1 + 0x14)",
                        "invalid bpf_context access off=20 size=4"),
                Arguments.of("past the struct", XDP, "r0 = *(u32 *)(r1 + 0x18)",
                        "invalid bpf_context access off=24 size=4"),
                Arguments.of("negative offset", SOCKET, "r0 = *(u32 *)(r1 - 0x4)",
                        "invalid bpf_context access off=-4 size=4"),
                Arguments.of("modified pointer", SOCKET, "r1 += 4\nr0 = *(u32 *)(r1 + 0x0)",
                        "dereference of modified ctx ptr R1 off=4 disallowed"),
                Arguments.of("pointer moved back", SOCKET, "r1 += -1\nr0 = *(u32 *)(r1 + 0x1)",
                        "negative offset ctx ptr R1 off=-1 disallowed"),
                Arguments.of("socket filter packet pointer", SOCKET, "r0 = *(u32 *)(r1 + 0x4c)",
                        "invalid bpf_context access off=76 size=4"),
                Arguments.of("socket filter mark write", SOCKET, "*(u32 *)(r1 + 0x8) = 0\nr0 = 0",
                        "invalid bpf_context access off=8 size=4"),
                Arguments.of("narrow packet pointer", TC, "r0 = *(u16 *)(r1 + 0x4c)",
                        "invalid bpf_context access off=76 size=2"),
                Arguments.of("misaligned narrow read", SOCKET, "r0 = *(u16 *)(r1 + 0x1)",
                        "invalid bpf_context access off=1 size=2"),
                Arguments.of("read past cb", TC, "r0 = *(u64 *)(r1 + 0x40)", "invalid bpf_context access off=64 size=8"),
                Arguments.of("tstamp by halves", TC, "r0 = *(u32 *)(r1 + 0x98)",
                        "invalid bpf_context access off=152 size=4"),
                Arguments.of("padding after tstamp_type", TC, "r0 = *(u8 *)(r1 + 0xb5)",
                        "invalid bpf_context access off=181 size=1"),
                Arguments.of("kprobe write", KPROBE, "*(u64 *)(r1 + 0x0) = 0\nr0 = 0",
                        "invalid bpf_context access off=0 size=8"),
                Arguments.of("kprobe past pt_regs", KPROBE, "r0 = *(u64 *)(r1 + 0xa8)",
                        "invalid bpf_context access off=168 size=8"),
                Arguments.of("tracepoint common fields", TRACEPOINT, "r0 = *(u32 *)(r1 + 0x4)",
                        "invalid bpf_context access off=4 size=4"),
                Arguments.of("tracepoint past PERF_MAX_TRACE_SIZE", TRACEPOINT, "r0 = *(u8 *)(r1 + 0x2000)",
                        "invalid bpf_context access off=8192 size=1"),
                Arguments.of("tracepoint write", TRACEPOINT, "*(u64 *)(r1 + 0x8) = 0\nr0 = 0",
                        "invalid bpf_context access off=8 size=8"),
                Arguments.of("raw tracepoint past MAX_BPF_FUNC_ARGS", RAW_TP, "r0 = *(u64 *)(r1 + 0x60)",
                        "invalid bpf_context access off=96 size=8"),
                Arguments.of("raw tracepoint negative", RAW_TP, "r0 = *(u64 *)(r1 - 0x8)",
                        "invalid bpf_context access off=-8 size=8"),
                Arguments.of("perf narrow regs", PERF, "r0 = *(u32 *)(r1 + 0x0)",
                        "invalid bpf_context access off=0 size=4"),
                Arguments.of("cgroup skb narrow IPv4 address", CGROUP_SKB, "r0 = *(u16 *)(r1 + 0x5c)",
                        "invalid bpf_context access off=92 size=2"),
                Arguments.of("cgroup skb IPv6 address by halves", CGROUP_SKB, "r0 = *(u64 *)(r1 + 0x64)",
                        "invalid bpf_context access off=100 size=8"),
                Arguments.of("cgroup skb tc_classid", CGROUP_SKB, "r0 = *(u32 *)(r1 + 0x48)",
                        "invalid bpf_context access off=72 size=4"),
                Arguments.of("cgroup skb napi_id write", CGROUP_SKB, "*(u32 *)(r1 + 0x54) = 0\nr0 = 0",
                        "invalid bpf_context access off=84 size=4"),
                Arguments.of("cgroup skb packet write", CGROUP_SKB, "r2 = *(u32 *)(r1 + 0x4c)\n"
                        + "r3 = *(u32 *)(r1 + 0x50)\nr4 = r2\nr4 += 1\nr0 = 0\nif r4 > r3 goto +1\n"
                        + "*(u8 *)(r2 + 0x0) = 1", "cannot write into packet"),
                Arguments.of("cgroup skb returns 2", CGROUP_SKB, "r0 = 2",
                        "At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]"),
                Arguments.of("cgroup egress returns an unknown u32", CGROUP_EGRESS, "r0 = *(u32 *)(r1 + 0x0)",
                        "At program exit the register R0 has smin=0 smax=4294967295 should have been in [0, 3]"),
                Arguments.of("cgroup skb returns its context", CGROUP_SKB, "r0 = r1",
                        "At program exit the register R0 is not a known value (ctx)"),
                Arguments.of("syscall misaligned", SYSCALL, "r0 = *(u64 *)(r1 + 0x64)",
                        "invalid bpf_context access off=100 size=8"),
                Arguments.of("syscall without BPF_F_SLEEPABLE",
                        new VerifierOptions(ProgramType.SYSCALL.value(), 0, 0, true), "r0 = 0",
                        "Syscall programs can only be sleepable"),
                Arguments.of("sleepable tracepoint",
                        new VerifierOptions(ProgramType.TRACEPOINT.value(), 0,
                                org.ebpf4j.spec.ProgramLoadFlags.BPF_F_SLEEPABLE, true), "r0 = 0",
                        "Only fentry/fexit/fmod_ret, lsm, iter, uprobe, and struct_ops programs can be sleepable"),
                Arguments.of("context then stack at one instruction", SOCKET,
                        "r6 = r1\ncall 0x7\nr3 = r6\nif r0 == 0x0 goto +0x2\nr3 = r10\nr3 += -0x8\n"
                                + "r0 = *(u32 *)(r3 + 0x0)\nr0 = 0",
                        "same insn cannot be used with different pointers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"rejected", "org.ebpf4j.verifier.SocketContextAccessTest#rejected"})
    void rejectsWithTheKernelsMessage(String name, VerifierOptions options, String source, String message) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\nexit\n"), options);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(message, rejected.message());
        assertEquals(Verdict.Cause.RULE, rejected.cause());
    }

    @org.junit.jupiter.api.Test
    void typesWithoutALayoutStayUnsupported() {
        Verdict verdict = Verifier.verify(Assembler.assemble("r0 = *(u64 *)(r1 + 0x8)\nexit\n"), RAW_TP_WRITABLE);
        assertEquals(Verdict.Cause.UNSUPPORTED, assertInstanceOf(Verdict.Rejected.class, verdict).cause());
    }
}
