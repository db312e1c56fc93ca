package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * bpf-to-bpf calls, global functions and callbacks, one small program per rule. The plain calls' verdicts and
 * messages were checked against the Linux 6.18 verifier (loaded as root through bpf(), as XDP programs unless the
 * test says otherwise), the callbacks' with clang-built equivalents carrying BTF func_info. The global-function
 * messages follow 6.18's btf_check_func_arg_match and check_return_code; they were not checked on the kernel,
 * which needs the program's BTF for them.
 */
class VerifierCallsTest {
    private static final VerifierOptions XDP = new VerifierOptions(ProgramType.XDP.value(), 0, 0, true);
    private static final VerifierOptions TRACEPOINT = new VerifierOptions(ProgramType.TRACEPOINT.value(), 0, 0, true);

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("arguments in r1-r5, result in r0",
                        "r1 = 2\nr2 = 3\ncall add\nr0 &= 3\nexit\nadd:\nr0 = r1\nr0 += r2\nexit"),
                Arguments.of("callee-saved r6-r9 survive the call",
                        "r6 = 5\nr9 = r1\ncall sub\nr0 = r6\nr1 = r9\nexit\nsub:\nr6 = 1\nr9 = 2\nr0 = 0\nexit"),
                Arguments.of("r0 left unset by the callee, never read",
                        "call sub\nr0 = 0\nexit\nsub:\nr1 = 1\nexit"),
                Arguments.of("the callee writes and reads the caller's stack through a pointer",
                        "r1 = r10\nr1 += -8\ncall sub\nr0 = *(u64 *)(r10 - 0x8)\nexit\n"
                                + "sub:\nr2 = 7\n*(u64 *)(r1 + 0x0) = r2\nr0 = *(u64 *)(r1 + 0x0)\nexit"),
                Arguments.of("a pointer to the caller's stack returned from a deeper frame's argument",
                        "*(u64 *)(r10 - 0x8) = r1\nr1 = r10\nr1 += -8\ncall a\nr0 = 0\nexit\n"
                                + "a:\ncall b\nr0 = 0\nexit\nb:\nr0 = *(u64 *)(r1 + 0x0)\nr0 = 0\nexit"),
                Arguments.of("eight frames", nested(7, "r0 = 0")),
                Arguments.of("two frames using 256 + 256 bytes",
                        "r1 = 0\n*(u64 *)(r10 - 0x100) = r1\ncall sub\nr0 = 0\nexit\n"
                                + "sub:\nr1 = 0\n*(u64 *)(r10 - 0x100) = r1\nr0 = 0\nexit"),
                Arguments.of("a subprogram reached by two paths of calls",
                        "call a\ncall b\nr0 = 0\nexit\na:\ncall b\nr0 = 0\nexit\nb:\nr0 = 1\nexit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, String source) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\n"), XDP);
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("caller-saved r1 is gone after the call",
                        "r1 = 1\ncall sub\nr0 = r1\nexit\nsub:\nr0 = 0\nexit", "R1 !read_ok"),
                Arguments.of("the callee cannot read the caller's r6",
                        "r6 = 1\ncall sub\nr0 = 0\nexit\nsub:\nr0 = r6\nexit", "R6 !read_ok"),
                Arguments.of("the caller reads an r0 the callee left unset",
                        "call sub\nr0 = r0\nexit\nsub:\nr1 = 1\nexit", "R0 !read_ok"),
                Arguments.of("nine frames", nested(8, "r0 = 0"), "the call stack of 9 frames is too deep"),
                Arguments.of("recursion", "call sub\nexit\nsub:\ncall sub\nexit",
                        "the call stack of 9 frames is too deep"),
                Arguments.of("a frame's stack pointer returned",
                        "call sub\nr0 = 0\nexit\nsub:\nr0 = r10\nr0 += -8\nexit",
                        "cannot return stack pointer to the caller"),
                Arguments.of("even the caller's stack pointer is refused as a return value",
                        "r1 = r10\nr1 += -8\ncall sub\nr0 = 0\nexit\nsub:\nr0 = r1\nexit",
                        "cannot return stack pointer to the caller"),
                Arguments.of("the callee spills its stack pointer into the caller's frame",
                        "r1 = r10\nr1 += -8\ncall sub\nr0 = 0\nexit\nsub:\nr2 = r10\n*(u64 *)(r1 + 0x0) = r2\n"
                                + "r0 = 0\nexit",
                        "cannot spill pointers to stack into stack frame of the caller"),
                Arguments.of("two frames using 256 + 384 bytes",
                        "r1 = 0\n*(u64 *)(r10 - 0x100) = r1\ncall sub\nr0 = 0\nexit\n"
                                + "sub:\nr1 = 0\n*(u64 *)(r10 - 0x180) = r1\nr0 = 0\nexit",
                        "combined stack size of 2 calls is 640. Too large"),
                Arguments.of("eight frames of calls never walked",
                        "r0 = 0\nif r0 == 0x0 goto +0x1\n" + nested(8, "r0 = 0").substring("r0 = 0\n".length()),
                        "the call stack of 8 frames is too deep !"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheKernelsMessage(String name, String source, String message) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\n"), XDP);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(message, rejected.message(), rejected.log());
        assertEquals(Verdict.Cause.RULE, rejected.cause());
    }

    @Test
    void tracingProgramsGiveDeepSubprogramsAPrivateStack() {
        // bpf_enable_priv_stack: kprobe, tracepoint, perf event and raw tracepoint programs on x86-64.
        String source = "r1 = 0\n*(u64 *)(r10 - 0x100) = r1\ncall sub\nr0 = 0\nexit\n"
                + "sub:\nr1 = 0\n*(u64 *)(r10 - 0x180) = r1\nr0 = 0\nexit\n";
        Verdict verdict = Verifier.verify(Assembler.assemble(source), TRACEPOINT);
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    @Test
    void theLogPrintsFramesAsTheKernelDoes() {
        String source = "r6 = r1\nr1 = 1\ncall sub\nr0 = r1\nexit\nsub:\nr0 = r1\nexit\n";
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class,
                Verifier.verify(Assembler.assemble(source), XDP));
        String log = rejected.log();
        assertTrue(log.contains("2: (85) call pc+2\ncaller:\n R6=ctx() R10=fp0\ncallee:\n frame1: R1=1 R10=fp0\n"
                + "5: frame1: R1=1 R10=fp0\n5: (bf) r0 = r1                       ; frame1: R0=1 R1=1\n"
                + "6: (95) exit\n"), log);
        assertTrue(log.contains("returning from callee:\n frame1: R0=1 R1=1 R10=fp0\nto caller at 3:\n"
                + " R0=1 R6=ctx() R10=fp0\n"), log);
        assertTrue(log.endsWith("3: (bf) r0 = r1\nR1 !read_ok\n" + log.substring(log.lastIndexOf("processed"))), log);
    }

    @Test
    void aLoopThroughACallIsDetectedWithBothFramesCompared() {
        // The same state in the callee, called from the same instruction: the loop can repeat forever. The kernel
        // prints R0=P0 (a precision mark, which ebpf4j does not model); the rest is its message.
        String source = "r0 = 0\ncall sub\nexit\nsub:\nr0 = 0\nL:\nif r0 == 0x0 goto L\nexit\n";
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class,
                Verifier.verify(Assembler.assemble(source), XDP));
        assertEquals("infinite loop detected at insn 4\ncur state: frame1: R0=0 R1=ctx() R10=fp0\n"
                + "old state: frame1: R0=0 R1=ctx() R10=fp0", rejected.message(), rejected.log());
    }

    private static final FunctionInfo MAIN = new FunctionInfo(0, "main", true, List.of(FunctionInfo.Argument.CONTEXT),
            true);

    private static Verdict withFunctions(String source, FunctionInfo... functions) {
        return Verifier.verify(Assembler.assemble(source), XDP.withFunctions(List.of(functions)));
    }

    @Test
    void aGlobalFunctionIsAssumedValidAtTheCallAndVerifiedOnItsOwn() {
        // r1 = 7 is not what the callee sees: it is verified for any number, so 7 / r1 is a division by anything.
        String source = "r1 = 7\ncall g\nr0 &= 1\nexit\ng:\nr0 = r1\nr0 += 1\nexit\n";
        FunctionInfo g = new FunctionInfo(4, "g", true, List.of(FunctionInfo.Argument.SCALAR), true);
        Verdict accepted = withFunctions(source, MAIN, g);
        assertInstanceOf(Verdict.Accepted.class, accepted, accepted.log());
        // The caller's r0 is an unknown number after the call, whatever the callee returns.
        Verdict.Rejected unknownR0 = assertInstanceOf(Verdict.Rejected.class, withFunctions(
                "call g\nr0 = *(u64 *)(r0 + 0x0)\nexit\ng:\nr0 = 0\nexit\n", MAIN,
                new FunctionInfo(3, "g", true, List.of(), true)));
        assertEquals("R0 invalid mem access 'scalar'", unknownR0.message());
    }

    @Test
    void aGlobalFunctionsArgumentsMustMatchItsPrototype() {
        FunctionInfo g = new FunctionInfo(3, "g", true, List.of(FunctionInfo.Argument.SCALAR), true);
        Verdict.Rejected pointer = assertInstanceOf(Verdict.Rejected.class,
                withFunctions("call g\nr0 = 0\nexit\ng:\nr0 = r1\nexit\n", MAIN, g));
        assertEquals("R1 is not a scalar\nCaller passes invalid args into func#1 ('g')", pointer.message());
        FunctionInfo ctx = new FunctionInfo(4, "g", true, List.of(FunctionInfo.Argument.CONTEXT), true);
        Verdict.Rejected number = assertInstanceOf(Verdict.Rejected.class,
                withFunctions("r1 = 1\ncall g\nr0 = 0\nexit\ng:\nr0 = 0\nexit\n", MAIN, ctx));
        assertEquals("arg#0 expects pointer to ctx\nCaller passes invalid args into func#1 ('g')", number.message());
    }

    @Test
    void aGlobalFunctionMustReturnANumber() {
        FunctionInfo g = new FunctionInfo(3, "g", true, List.of(FunctionInfo.Argument.CONTEXT), true);
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class,
                withFunctions("call g\nr0 = 0\nexit\ng:\nr0 = r1\nexit\n", MAIN, g));
        assertEquals("At subprogram exit the register R0 is not a scalar value (ctx)", rejected.message());
    }

    @Test
    void functionAddressesNeedFuncInfoAndAStaticFunction() {
        String source = "r2 = 0x0 ll\nr0 = 0\nexit\ncb:\nr0 = 0\nexit\n";
        org.ebpf4j.isa.Instructions code = Assembler.assemble(source);
        byte[] raw = code.encode();
        raw[1] = (byte) (raw[1] & 0x0f | (org.ebpf4j.isa.Opcode.PSEUDO_FUNC << 4));
        raw[4] = 3; // the function at insn 0 + 3 + 1
        Verdict.Rejected missing = assertInstanceOf(Verdict.Rejected.class, Verifier.verify(raw, XDP));
        assertEquals("missing btf func_info", missing.message());
        Verdict.Rejected global = assertInstanceOf(Verdict.Rejected.class, Verifier.verify(raw,
                XDP.withFunctions(List.of(MAIN, new FunctionInfo(4, "cb", true, List.of(), true)))));
        assertEquals("callback function not static", global.message());
        Verdict.Rejected layout = assertInstanceOf(Verdict.Rejected.class, Verifier.verify(raw,
                XDP.withFunctions(List.of(MAIN, new FunctionInfo(5, "cb", false, List.of(), true)))));
        assertEquals("func_info BTF section doesn't match subprog layout in BPF program", layout.message());
    }

    /**
     * bpf_loop(4, callback, ctx, 0) in a main program of {@code before} lines and the callback {@code body} after it:
     * the function address is relative to the lddw at slot {@code before + 1}.
     */
    private static Verdict loop(String before, String ctx, String after, String body) {
        long beforeSlots = before.lines().count();
        String main = before + "w1 = 0x4\nld_pseudo r2, 0x4, 0x%x\n" + ctx + "r4 = 0x0\ncall 0xb5\n" + after;
        long mainSlots = beforeSlots + 1 + 2 + ctx.lines().count() + 2 + after.lines().count();
        long lddw = beforeSlots + 1;
        String source = String.format(main, mainSlots - lddw - 1) + body;
        FunctionInfo callback = new FunctionInfo((int) mainSlots, "cb", false, List.of(), true);
        return Verifier.verify(Assembler.assemble(source), XDP.withFunctions(List.of(MAIN, callback)));
    }

    // The callback verdicts and messages were checked against Linux 6.18 with clang-built equivalents.

    @Test
    void aLoopCallbackUpdatesTheCallersStackThroughItsContext() {
        Verdict verdict = loop("*(u64 *)(r10 - 0x8) = 0x0\n", "r3 = r10\nr3 += -0x8\n",
                "r0 = *(u64 *)(r10 - 0x8)\nr0 &= 1\nexit\n",
                "r3 = *(u64 *)(r2 + 0x0)\nr3 += r1\n*(u64 *)(r2 + 0x0) = r3\nr0 = 0\nexit\n");
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    @Test
    void aCallbackReturnsZeroOrOne() {
        Verdict.Rejected two = assertInstanceOf(Verdict.Rejected.class,
                loop("", "r3 = 0x0\n", "w0 = 0x0\nexit\n", "r0 = 0x2\nexit\n"));
        assertEquals("At callback return the register R0 has smin=2 smax=2 should have been in [0, 1]",
                two.message(), two.log());
        Verdict.Rejected any = assertInstanceOf(Verdict.Rejected.class,
                loop("", "r3 = 0x0\n", "w0 = 0x0\nexit\n", "call 0x7\nw0 = w0\nexit\n"));
        assertEquals("At callback return the register R0 has smin=0 smax=4294967295 should have been in [0, 1]",
                any.message(), any.log());
        Verdict.Rejected unset = assertInstanceOf(Verdict.Rejected.class,
                loop("", "r3 = 0x0\n", "w0 = 0x0\nexit\n", "r1 = 0x0\nexit\n"));
        assertEquals("R0 not a scalar value", unset.message(), unset.log());
        Verdict.Rejected pointer = assertInstanceOf(Verdict.Rejected.class,
                loop("", "r3 = 0x0\n", "w0 = 0x0\nexit\n", "r0 = r10\nexit\n"));
        assertEquals("cannot return stack pointer to the caller", pointer.message(), pointer.log());
    }

    @Test
    void laterIterationsReachTheCodeAfterTheHelper() {
        // The counter at fp-8 is 0 when the walk first passes the helper; after an iteration it is not, so the
        // branch falls through to a read of r5, which the helper call cleared.
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, loop("*(u64 *)(r10 - 0x8) = 0x0\n",
                "r3 = r10\nr3 += -0x8\n", "r0 = *(u64 *)(r10 - 0x8)\nif r0 == 0x0 goto +0x1\nr0 = r5\nexit\n",
                "r3 = *(u64 *)(r2 + 0x0)\nr3 += 1\n*(u64 *)(r2 + 0x0) = r3\nr0 = 0\nexit\n"));
        assertEquals("R5 !read_ok", rejected.message(), rejected.log());
        assertTrue(rejected.log().contains("returning from callee:\n frame1: "), rejected.log());
    }

    @Test
    void forEachMapElemGivesTheCallbackTheKeyAndTheValue() {
        String source = "ld_pseudo r1, 0x1, 0x0\nld_pseudo r2, 0x4, 0x6\nr3 = 0x0\nr4 = 0x0\ncall 0xa4\n"
                + "w0 = 0x0\nexit\n" + "r0 = *(u32 *)(r2 + 0x0)\nr1 = *(u64 *)(r3 + 0x0)\nr0 = 0x0\nexit\n";
        List<FunctionInfo> functions = List.of(MAIN, new FunctionInfo(9, "visit", false, List.of(), true));
        Verdict onArray = Verifier.verify(Assembler.assemble(source),
                XDP.withFunctions(functions).withMaps(List.of(map(MapType.ARRAY, 4, 8))));
        assertInstanceOf(Verdict.Accepted.class, onArray, onArray.log());
        Verdict.Rejected onQueue = assertInstanceOf(Verdict.Rejected.class, Verifier.verify(
                Assembler.assemble(source), XDP.withFunctions(functions).withMaps(List.of(map(MapType.QUEUE, 0, 8)))));
        assertEquals("callback function not allowed for map", onQueue.message());
        // The key is 4 bytes: an 8-byte read overruns it.
        Verdict.Rejected overrun = assertInstanceOf(Verdict.Rejected.class, Verifier.verify(
                Assembler.assemble(source.replace("r0 = *(u32 *)(r2", "r0 = *(u64 *)(r2")),
                XDP.withFunctions(functions).withMaps(List.of(map(MapType.ARRAY, 4, 8)))));
        assertEquals("R2 min value is outside of the allowed memory range", overrun.lastLine(), overrun.message());
    }

    @Test
    void iterationsEndThroughWideningOfNumbersThatDecideNothing() {
        // A counter that grows by 3 in each of up to 2^32 - 1 iterations never repeats, but decides nothing: after an
        // iteration it is widened to an unknown number (widen_imprecise_scalars), and the next iteration repeats.
        Verdict verdict = withFunctions(CALLBACK_LOOP + "r3 = *(u64 *)(r2 + 0x0)\nr3 += 3\n*(u64 *)(r2 + 0x0) = r3\n"
                + "r0 = 0x0\nexit\n", MAIN, new FunctionInfo(11, "count", false, List.of(), true));
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    @Test
    void iterationsOfAPreciseNumberThatNeverRepeatsAreUnsupported() {
        // The same counter decides a branch in each iteration, so it is precise and never widened: the iterations go
        // on to the complexity limit.
        String source = CALLBACK_LOOP + "r3 = *(u64 *)(r2 + 0x0)\nr3 += 3\n*(u64 *)(r2 + 0x0) = r3\nr0 = 0x0\n"
                + "if r3 > 0x7fffffff goto +1\nexit\nr0 = 0x1\nexit\n";
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, withFunctions(source, MAIN,
                new FunctionInfo(11, "count", false, List.of(), true)));
        assertEquals(Verdict.Cause.UNSUPPORTED, rejected.cause(), rejected.message());
        assertTrue(rejected.message().startsWith("callback iterations that do not converge under ebpf4j's"
                + " widening, which differs from the kernel's ("), rejected.message());
    }

    /** bpf_loop(ctx->len, count, fp-8, 0) with fp-8 = 0: the callback ({@code count}) starts at instruction 11. */
    private static final String CALLBACK_LOOP = "*(u64 *)(r10 - 0x8) = 0x0\nr6 = *(u32 *)(r1 + 0xc)\nr1 = r6\n"
            + "ld_pseudo r2, 0x4, 0x7\nr3 = r10\nr3 += -0x8\nr4 = 0x0\ncall 0xb5\nw0 = 0x0\nexit\n";

    private static MapSpec map(MapType type, int keySize, int valueSize) {
        return new MapSpec("m", type, keySize, valueSize, 4, 0, MapPinning.NONE, 0, 0, Optional.empty(), List.of(),
                false, 0, 0, MapSpec.Origin.LEGACY);
    }

    /** Calls {@code depth} levels deep (depth + 1 frames), the innermost running {@code body}. */
    private static String nested(int depth, String body) {
        StringBuilder s = new StringBuilder("r0 = 0\ncall f1\nexit\n");
        for (int i = 1; i <= depth; i++) {
            s.append("f").append(i).append(":\n");
            s.append(i < depth ? "call f" + (i + 1) + "\n" : body + "\n").append("exit\n");
        }
        return s.toString();
    }
}
