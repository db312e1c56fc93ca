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
                Arguments.of("narrow read is zero-extended", SOCKET,
                        "r0 = *(u16 *)(r1 + 0x0)\nif r0 <= 0xffff goto +1\nr0 = *(u64 *)(r0 + 0x0)\nr0 = 0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
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
                Arguments.of("context then stack at one instruction", SOCKET,
                        "r6 = r1\ncall 0x7\nr3 = r6\nif r0 == 0x0 goto +0x2\nr3 = r10\nr3 += -0x8\n"
                                + "r0 = *(u32 *)(r3 + 0x0)\nr0 = 0",
                        "same insn cannot be used with different pointers"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheKernelsMessage(String name, VerifierOptions options, String source, String message) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\nexit\n"), options);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(message, rejected.message());
        assertEquals(Verdict.Cause.RULE, rejected.cause());
    }

    @org.junit.jupiter.api.Test
    void typesWithoutALayoutStayUnsupported() {
        Verdict verdict = Verifier.verify(Assembler.assemble("r0 = *(u64 *)(r1 + 0x0)\nexit\n"), KPROBE);
        assertEquals(Verdict.Cause.UNSUPPORTED, assertInstanceOf(Verdict.Rejected.class, verdict).cause());
    }
}
