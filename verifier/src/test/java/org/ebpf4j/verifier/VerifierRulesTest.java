package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.stream.Stream;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.text.Assembler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One small program per rule, with the kernel's message (checked against Linux 6.18 where the corpus has the
 * case) or acceptance. Programs are written in llvm-objdump's syntax.
 */
class VerifierRulesTest {

    static Stream<Arguments> rejected() {
        return Stream.of(
                Arguments.of("uninitialised r0 at exit", "exit", "R0 !read_ok"),
                Arguments.of("uninitialised operand", "r0 = r2\nexit", "R2 !read_ok"),
                Arguments.of("frame pointer written", "r10 = r1\nr0 = 0\nexit", "frame pointer is read only"),
                Arguments.of("jump out of the program", "if r1 == 0x0 goto +0x5\nr0 = 0\nexit",
                        "jump out of range from insn 0 to 6"),
                Arguments.of("last instruction falls off", "r0 = 0\nexit\nr0 = 1", "last insn is not an exit or jmp"),
                Arguments.of("dead code", "r0 = 0\nexit\nr0 = 1\nexit", "unreachable insn 2"),
                Arguments.of("constant division by zero", "r0 = 1\nr0 /= 0\nexit", "div by zero"),
                Arguments.of("shift out of range", "r0 = 1\nr0 <<= 64\nexit", "invalid shift 64"),
                Arguments.of("number as an address", "r0 = 1\nr0 = *(u64 *)(r0 + 0x0)\nexit",
                        "R0 invalid mem access 'scalar'"),
                Arguments.of("store above the frame", "r1 = 0\n*(u64 *)(r10 + 0x8) = r1\nr0 = 0\nexit",
                        "invalid write to stack R10 off=8 size=8"),
                Arguments.of("misaligned stack load", "r2 = r10\nr0 = *(u64 *)(r2 - 0x4)\nexit",
                        "misaligned stack access off 0+0+-4 size 8"),
                Arguments.of("partial fill of a spilled pointer",
                        "*(u64 *)(r10 - 0x8) = r1\nr0 = *(u32 *)(r10 - 0x8)\nexit", "invalid size of register fill"),
                Arguments.of("subtraction from the frame pointer", "r1 = r10\nr1 -= 8\nr0 = 0\nexit",
                        "R1 subtraction from stack pointer prohibited"),
                Arguments.of("32-bit pointer arithmetic", "r1 = r10\nw1 += 8\nr0 = 0\nexit",
                        "R1 32-bit pointer arithmetic prohibited"),
                Arguments.of("infinite loop", "r0 = 0\nL: if r0 == 0x0 goto L\nexit",
                        "infinite loop detected at insn 1\ncur state: R0=0 R1=ctx() R10=fp0\n"
                                + "old state: R0=0 R1=ctx() R10=fp0"),
                Arguments.of("loop without a bound", "r0 = 0\nL: r0 += 1\nif r0 != 0x0 goto L\nexit",
                        "BPF program is too large. Processed 1000001 insn"),
                // A 32-bit copy of a number that may not fit in 32 bits is another number: no link, so r1 is read.
                Arguments.of("32-bit copy of a 64-bit number not linked",
                        "call 0x5\nw6 = w0\nif r0 > 0x4 goto +0x2\nif r6 <= 0x4 goto +0x1\nr0 = r1\nexit",
                        "R1 !read_ok"),
                // An atomic whose address register also receives the old value: the kernel marks that register
                // unknown before checking the access (verdicts and messages from Linux 6.18; found by the fuzzer).
                Arguments.of("atomic fetch into its own address register",
                        "*(u64 *)(r10 - 0x8) = r10\nr1 = r10\nr1 = atomic_fetch_add((u64 *)(r1 - 0x8), r1)\n"
                                + "r0 = 0\nexit",
                        "misaligned access off (0x0; 0xffffffffffffffff)+0+-8 size 8"),
                Arguments.of("compare-exchange through r0",
                        "r0 = r10\n*(u64 *)(r10 - 0x8) = r0\nr1 = 0\nr0 = cmpxchg_64(r0 - 0x8, r0, r1)\n"
                                + "r0 = 0\nexit",
                        "misaligned access off (0x0; 0xffffffffffffffff)+0+-8 size 8"),
                Arguments.of("copy written again not linked",
                        "call 0x5\nr6 = r0\nr6 = 0x9\nr6 = r0\nr6 *= 3\nif r0 > 0x4 goto +0x2\n"
                                + "if r6 <= 0xc goto +0x1\nr0 = r1\nexit",
                        "R1 !read_ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheKernelsMessage(String name, String source, String message) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\n"), VerifierOptions.socketFilter());
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(message, rejected.message());
        assertEquals(Verdict.Cause.RULE, rejected.cause());
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("constant", "r0 = 0\nexit"),
                Arguments.of("spill and fill", "r1 = 7\n*(u64 *)(r10 - 0x8) = r1\nr0 = *(u64 *)(r10 - 0x8)\nexit"),
                Arguments.of("pointer through the stack",
                        "*(u64 *)(r10 - 0x8) = r10\nr2 = *(u64 *)(r10 - 0x8)\nr0 = *(u64 *)(r2 - 0x8)\nexit"),
                Arguments.of("uninitialised stack read (privileged)", "r0 = *(u32 *)(r10 - 0x4)\nexit"),
                Arguments.of("bounded loop", "r0 = 0\nL: r0 += 1\nif r0 < 0xa goto L\nexit"),
                Arguments.of("branch refinement", "call 0x7\nif r0 > 0x3 goto +0x1\nr0 <<= 2\nexit"),
                // Scalar ids (verdicts checked with Linux 6.18): the branch on r0 bounds its copy too, so "r0 = r1" (r1
                // unset after the call) is dead.
                Arguments.of("copied register refined by a branch",
                        "call 0x5\nr6 = r0\nif r0 > 0x4 goto +0x2\nif r6 <= 0x4 goto +0x1\nr0 = r1\nexit"),
                Arguments.of("original refined through its copy",
                        "call 0x5\nr6 = r0\nif r6 > 0x4 goto +0x2\nif r0 <= 0x4 goto +0x1\nr0 = r1\nexit"),
                Arguments.of("spilled copy refined by a branch",
                        "call 0x5\n*(u64 *)(r10 - 0x8) = r0\nif r0 > 0x4 goto +0x3\n"
                                + "r6 = *(u64 *)(r10 - 0x8)\nif r6 <= 0x4 goto +0x1\nr0 = r1\nexit"),
                Arguments.of("32-bit copy of a 32-bit number refined by a 32-bit branch",
                        "call 0x5\nr0 &= 0xffff\nw6 = w0\nif w0 > 0x4 goto +0x2\nif r6 <= 0x4 goto +0x1\n"
                                + "r0 = r1\nexit"),
                Arguments.of("atomic fetch of a spilled pointer into another register",
                        "*(u64 *)(r10 - 0x8) = r10\nr1 = r10\nr2 = 0\nr2 = atomic_fetch_add((u64 *)(r1 - 0x8), r2)\n"
                                + "r3 = *(u64 *)(r2 - 0x8)\nr0 = 0\nexit"),
                Arguments.of("atomic add on the stack",
                        "r1 = 1\n*(u64 *)(r10 - 0x8) = r1\nlock *(u64 *)(r10 - 0x8) += r1\nr0 = 0\nexit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepts(String name, String source) {
        Verdict verdict = Verifier.verify(Assembler.assemble(source + "\n"), VerifierOptions.socketFilter());
        assertInstanceOf(Verdict.Accepted.class, verdict, verdict.log());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void rejectsWhatItCannotCheckYet(String name, Instructions program, String message) {
        Verdict verdict = Verifier.verify(program, VerifierOptions.socketFilter());
        Verdict.Rejected rejected = assertInstanceOf(Verdict.Rejected.class, verdict, verdict.log());
        assertEquals(Verdict.Cause.UNSUPPORTED, rejected.cause());
        assertEquals(message, rejected.message());
    }

    static Stream<Arguments> unsupported() {
        Instruction exit = new Instruction(Opcode.JMP | Opcode.EXIT, 0, 0, 0, 0);
        return Stream.of(
                Arguments.of("helper without a prototype yet", Instructions.of(
                        new Instruction(Opcode.JMP | Opcode.CALL, 0, 0, 0, 68), exit),
                        "helper call not supported yet by ebpf4j's verifier: bpf_skb_load_bytes_relative#68"),
                Arguments.of("socket pointer from the context", Assembler.assemble(
                        "r0 = *(u64 *)(r1 + 0xa8)\nexit\n"), "kernel object pointers read from the context "
                        + "(__sk_buff->sk) not supported yet by ebpf4j's verifier"));
    }
}
