package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The main program's stack depth on an accepted verdict: the test runs clear only those bytes of the first frame
 * between repeats, so it must cover every byte a run can write there, by the program itself, by a subprogram
 * through a pointer, or by a helper (the kernel's subprog_info[0].stack_depth, in 8-byte slots).
 */
class StackDepthTest {
    private static final VerifierOptions TRACEPOINT = new VerifierOptions(ProgramType.TRACEPOINT.value(), 0, 0, true);

    static Stream<Arguments> programs() {
        return Stream.of(
                Arguments.of("no stack", "r0 = 0\nexit", 0),
                Arguments.of("a store at -16", "*(u64 *)(r10 - 0x10) = r1\nr0 = 0\nexit", 16),
                Arguments.of("a byte at -3 takes its whole slot", "*(u8 *)(r10 - 0x3) = 0x1\nr0 = 0\nexit", 8),
                Arguments.of("the deepest of two paths",
                        "r0 = 0\nif r1 == 0x0 goto +0x2\n*(u64 *)(r10 - 0x28) = r0\nexit\n"
                                + "*(u64 *)(r10 - 0x8) = r0\nexit", 40),
                Arguments.of("a subprogram writing through a pointer to the caller's frame",
                        "r1 = r10\nr1 += -24\ncall sub\nr0 = 0\nexit\n"
                                + "sub:\nr2 = 7\n*(u64 *)(r1 + 0x0) = r2\nr0 = 0\nexit", 24),
                Arguments.of("a subprogram's own frame does not count",
                        "call sub\nr0 = 0\nexit\nsub:\nr1 = 0\n*(u64 *)(r10 - 0x100) = r1\nr0 = 0\nexit", 0),
                Arguments.of("a helper's buffer (bpf_get_current_comm into 16 bytes at -48)",
                        "r1 = r10\nr1 += -48\nr2 = 16\ncall 0x10\nr0 = 0\nexit", 48));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void coversEveryByteARunCanWrite(String name, String source, int depth) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\n"), TRACEPOINT);
        assertEquals(depth, assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log()).stackDepth());
    }
}
