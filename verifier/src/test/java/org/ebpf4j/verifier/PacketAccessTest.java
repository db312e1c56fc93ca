package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Direct packet access: a range proved by comparing with data_end, every comparison form and direction. */
class PacketAccessTest {
    private static final VerifierOptions XDP = new VerifierOptions(ProgramType.XDP.value(), 0, 0, true);
    /** r2 = data, r3 = data_end, r4 = data + 8. */
    private static final String POINTERS =
            "r2 = *(u32 *)(r1 + 0x0)\nr3 = *(u32 *)(r1 + 0x4)\nr4 = r2\nr4 += 0x8\n";

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("pkt > end, fall through", "if r4 > r3 goto +0x1\nr0 = *(u64 *)(r2 + 0x0)"),
                Arguments.of("pkt <= end, taken", "if r4 <= r3 goto +0x1\ngoto +0x1\nr0 = *(u64 *)(r2 + 0x0)"),
                Arguments.of("end >= pkt, taken", "if r3 >= r4 goto +0x1\ngoto +0x1\nr0 = *(u64 *)(r2 + 0x0)"),
                Arguments.of("end < pkt, fall through", "if r3 < r4 goto +0x1\nr0 = *(u64 *)(r2 + 0x0)"),
                Arguments.of("strict: pkt < end gives one more byte",
                        "if r4 < r3 goto +0x1\ngoto +0x1\nr0 = *(u8 *)(r2 + 0x8)"),
                Arguments.of("pkt >= end, fall through, one more byte", "if r4 >= r3 goto +0x1\nr0 = *(u8 *)(r4 + 0x0)"),
                Arguments.of("store within the range", "if r4 > r3 goto +0x1\n*(u32 *)(r2 + 0x4) = 0x1"),
                Arguments.of("range shared through a spill",
                        "*(u64 *)(r10 - 0x8) = r2\nif r4 > r3 goto +0x2\nr5 = *(u64 *)(r10 - 0x8)\n"
                                + "r0 = *(u64 *)(r5 + 0x0)"),
                Arguments.of("variable offset checked again", "r5 = *(u32 *)(r1 + 0xc)\nr5 &= 0xff\nr6 = r2\n"
                        + "r6 += r5\nr7 = r6\nr7 += 0x4\nif r7 > r3 goto +0x1\nr0 = *(u32 *)(r6 + 0x0)"),
                Arguments.of("metadata checked against data", "r5 = *(u32 *)(r1 + 0x8)\nr6 = r5\nr6 += 0x4\n"
                        + "if r6 > r2 goto +0x1\nr0 = *(u32 *)(r5 + 0x0)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, String source) {
        Verdict verdict = Verifier.verify(Assembler.assemble(POINTERS + source + "\nr0 = 0\nexit\n"), XDP);
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("unchecked", "r0 = *(u8 *)(r2 + 0x0)",
                        "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\nR2 offset is outside of the packet"),
                Arguments.of("wrong branch", "if r4 > r3 goto +0x1\ngoto +0x1\nr0 = *(u8 *)(r2 + 0x0)",
                        "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\nR2 offset is outside of the packet"),
                Arguments.of("past the range", "if r4 > r3 goto +0x1\nr0 = *(u8 *)(r2 + 0x8)",
                        "invalid access to packet, off=8 size=1, R2(id=0,off=8,r=8)\nR2 offset is outside of the packet"),
                Arguments.of("before the packet", "if r4 > r3 goto +0x1\nr0 = *(u8 *)(r2 - 0x1)",
                        "invalid access to packet, off=-1 size=1, R2(id=0,off=-1,r=8)\nR2 offset is outside of the packet"),
                Arguments.of("signed comparison proves nothing", "if r4 s> r3 goto +0x1\nr0 = *(u8 *)(r2 + 0x0)",
                        "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\nR2 offset is outside of the packet"),
                Arguments.of("strict comparison at off 0 proves nothing",
                        "if r2 >= r3 goto +0x1\nr0 = *(u8 *)(r2 + 0x0)",
                        "invalid access to packet, off=0 size=1, R2(id=0,off=0,r=0)\nR2 offset is outside of the packet"),
                Arguments.of("metadata checked against moved data", "r5 = *(u32 *)(r1 + 0x8)\nr6 = r5\n"
                        + "r6 += 0x4\nif r6 > r4 goto +0x1\nr0 = *(u32 *)(r5 + 0x0)",
                        "invalid access to packet, off=0 size=4, R5(id=0,off=0,r=0)\nR5 offset is outside of the packet"),
                Arguments.of("variable offset loses the range", "if r4 > r3 goto +0x4\nr5 = *(u32 *)(r1 + 0xc)\n"
                        + "r5 &= 0x1\nr2 += r5\nr0 = *(u8 *)(r2 + 0x0)",
                        "invalid access to packet, off=0 size=1, R2(id=1,off=0,r=0)\nR2 offset is outside of the packet"),
                Arguments.of("data_end is not memory", "r0 = *(u8 *)(r3 + 0x0)\nr0 = 0",
                        "R3 invalid mem access 'pkt_end'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheKernelsMessage(String name, String source, String message) {
        Verdict verdict = Verifier.verify(Assembler.assemble(POINTERS + source + "\nr0 = 0\nexit\n"), XDP);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(message, rejected.message());
    }
}
