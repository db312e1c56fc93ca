package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.ClassFile;
import java.lang.classfile.MethodModel;
import java.lang.classfile.instruction.IncrementInstruction;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Which loops the JIT counts with an int ({@link CountedLoops}), and that such loops, their exits and the code after
 * them compute what the interpreter does: unsplit and cut into chunks, blinded and not, with a backward-jump limit.
 */
class CountedLoopsTest {
    /** clang's byte loop over a buffer (copy_loop's shape): a 64-bit counter, a 32-bit != test, a second exit. */
    private static final String COPY = """
            r2 = 0x0
            w0 = 0x0
            loop:
            r3 = r1
            r3 += r2
            r4 = r3
            r4 += 0x21
            if r4 > r5 goto out
            r4 = *(u8 *)(r3 + 0x0)
            *(u8 *)(r3 + 0x20) = r4
            w0 += w4
            r2 += 0x1
            if w2 != 0x20 goto loop
            out:
            exit
            """;

    /** A 64-bit < test, the counter read as a value in the body and after the loop, left early through a jump. */
    private static final String EARLY_EXIT = """
            r2 = 0x3
            r0 = 0x0
            loop:
            r3 = r1
            r3 += r2
            r4 = *(u8 *)(r3 + 0x0)
            r0 += r2
            if r4 == 0x7 goto out
            *(u8 *)(r3 + 0x0) = r2
            r2 += 0x1
            if r2 < 0x28 goto loop
            out:
            r0 <<= 0x8
            r0 |= r2
            exit
            """;

    /** A 32-bit increment and a signed <= test; an exit instruction inside the loop returns the counter. */
    private static final String EXIT_INSIDE = """
            w6 = 0x1
            loop:
            r3 = r1
            r3 += r6
            r4 = *(u8 *)(r3 + 0x0)
            if r4 != 0x7 goto next
            r0 = r6
            exit
            next:
            w6 += 0x1
            if w6 s<= 0x3e goto loop
            r0 = 0x0
            r0 -= r6
            exit
            """;

    /** A bpf-to-bpf call in the body: the counter lives in a callee-saved register the call passes along. */
    private static final String WITH_CALL = """
            r6 = 0x0
            r7 = 0x0
            loop:
            r1 = r6
            call double
            r7 += r0
            r6 += 0x1
            if r6 <= 0x9 goto loop
            r0 = r7
            exit
            double:
            r0 = r1
            r0 += r1
            exit
            """;

    /**
     * clang's rotated loop (strcmp_loop's shape): entered by a goto to its header, which comes after the latch; the
     * latch tests a copy of the counter taken before the increment. The copy is read after the loop.
     */
    private static final String ROTATED = """
            r2 = 0x0
            w0 = 0x0
            goto header
            latch:
            w0 += w4
            w3 = w2
            r2 += 0x1
            if w3 < 0x1e goto header
            r0 += r3
            exit
            header:
            r3 = r1
            r3 += r2
            r4 = r3
            r4 += 0x2
            if r4 > r5 goto out
            r4 = *(u8 *)(r3 + 0x1)
            if r4 != 0x7 goto latch
            r0 = r2
            r0 <<= 0x8
            out:
            exit
            """;

    /** The latch before the header too, but testing the counter itself (log2_loop's outer loop, minus the inner). */
    private static final String FORWARD_LATCH = """
            r2 = 0x0
            w0 = 0x0
            goto header
            latch:
            r2 += 0x1
            if r2 != 0x28 goto header
            exit
            header:
            r3 = r1
            r3 += r2
            r4 = r3
            r4 += 0x1
            if r4 > r5 goto out
            r4 = *(u8 *)(r3 + 0x0)
            w0 += w4
            goto latch
            out:
            exit
            """;

    /**
     * A loop with no counter that only computes in registers (log2_loop's inner loop: shift until small, at most 31
     * times), so the JIT counts its iterations.
     */
    private static final String SHIFTS = """
            w0 = 0x0
            w6 = 0x0
            r3 = *(u32 *)(r1 + 0x4)
            w3 |= 0x1
            loop:
            w7 = w3
            w0 += 0x1
            if w6 > 0x1e goto out
            w3 = w7
            w3 >>= 0x1
            w6 = w0
            if w7 > 0x3 goto loop
            out:
            exit
            """;

    @Test
    void findsTheLoopsWhoseCounterStaysAnInt() {
        assertEquals(List.of("header 2, latch 11, r2, increment 10, slots 2-11"), loops(COPY));
        assertEquals(List.of("header 2, latch 9, r2, increment 8, slots 2-9"), loops(EARLY_EXIT));
        // The exit inside is no part of the loop: it does not lead back to the latch.
        assertEquals(List.of("header 1, latch 8, r6, increment 7, slots 1-4 7-8"), loops(EXIT_INSIDE));
        assertEquals(List.of("header 2, latch 6, r6, increment 5, slots 2-6"), loops(WITH_CALL));
        assertEquals(List.of("header 9, latch 6, r2, increment 5, copy 4, slots 3-6 9-15"), loops(ROTATED));
        assertEquals(List.of("header 6, latch 4, r2, increment 3, slots 3-4 6-13"), loops(FORWARD_LATCH));
        assertEquals(List.of("header 4, latch 10, by iterations, slots 4-10"), loops(SHIFTS));
    }

    @Test
    void countsTheIterationsOfLoopsThatOnlyComputeInRegisters() {
        // A load, a store or a call in the loop: left alone.
        assertEquals(List.of(), loops(SHIFTS.replace("w3 >>= 0x1\n", "w3 >>= 0x1\nr4 = *(u8 *)(r1 + 0x0)\n")));
        assertEquals(List.of(), loops(SHIFTS.replace("w3 >>= 0x1\n", "w3 >>= 0x1\n*(u32 *)(r1 + 0x0) = r3\n")));
        assertEquals(List.of(), loops(SHIFTS.replace("w3 >>= 0x1\n", "w3 >>= 0x1\ncall 0x7\n")));
        // Another way out is no part of the loop.
        assertEquals(List.of("header 4, latch 11, by iterations, slots 4-11"),
                loops(SHIFTS.replace("w3 >>= 0x1\n", "w3 >>= 0x1\nif w3 == 0x5 goto stop\n") + "stop:\nexit\n"));
        // The count is an iinc of its own local; with a backward-jump limit the latch counts jumps instead.
        Instructions program = Assembler.assemble(SHIFTS);
        var generated = Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE,
                JitSplitTest.lddwValues(program), null);
        assertTrue(incrementsLocal(generated, MethodEmitter.ITERATIONS), "the iterations are counted");
        var limited = Jit.generate(program, HelperRegistry.empty(), 100, JitSplitTest.lddwValues(program), null);
        assertTrue(!incrementsLocal(limited, MethodEmitter.ITERATIONS), "a limit counts backward jumps instead");
    }

    @Test
    void leavesOtherRotatedLoopsAlone() {
        // A second way in, to the latch: the loop is no longer entered through its header alone.
        assertEquals(List.of(), loops("if r5 == 0x0 goto latch\n" + ROTATED));
        // A jump that lands between the copy and the test, or on the test: the copy may not be the counter's.
        assertEquals(List.of(), loops(ROTATED.replace("r2 += 0x1\n", "mid:\nr2 += 0x1\n")
                .replace("if r4 != 0x7 goto latch", "if r4 == 0x9 goto mid\nif r4 != 0x7 goto latch")));
        // The copy taken after the increment, or written again before the test.
        assertEquals(List.of(), loops(ROTATED.replace("w3 = w2\nr2 += 0x1\n", "r2 += 0x1\nw3 = w2\n")));
        assertEquals(List.of(), loops(ROTATED.replace("r2 += 0x1\n", "r2 += 0x1\nw3 += 0x1\n")));
        // A copy of another register, or one that sign-extends.
        assertEquals(List.of(), loops(ROTATED.replace("w3 = w2", "w3 = w4")));
        assertEquals(List.of(), loops(ROTATED.replace("w3 = w2", "w3 = (s8)w2")));
        // A copy may run one past its limit: a limit at the top of the int range leaves no room.
        assertEquals(List.of(), loops(ROTATED.replace("w3 < 0x1e", "w3 < 0x7ffffffe")));
        assertEquals(List.of("header 9, latch 6, r2, increment 5, copy 4, slots 3-6 9-15"),
                loops(ROTATED.replace("w3 < 0x1e", "w3 < 0x7ffffffd")));
        // An inner loop in the body, though it never touches the counter: only the inner loop, by its iterations.
        assertEquals(List.of("header 12, latch 13, by iterations, slots 12-13"),
                loops(FORWARD_LATCH.replace("w0 += w4\n", "inner:\nw0 += w4\nif w0 < 0x3 goto inner\n")));
        // The latch also reached from the header's fall-through side: another instruction of the loop jumps back.
        assertEquals(List.of(), loops(FORWARD_LATCH.replace("w0 += w4\n", "if w4 == 0x3 goto header\nw0 += w4\n")));
    }

    @Test
    void leavesOtherLoopsAlone() {
        // Two increments: the counter could step over the != limit.
        assertEquals(List.of(), loops(COPY.replace("r2 += 0x1\n", "r2 += 0x1\nr2 += 0x1\n")));
        // A stride other than 1.
        assertEquals(List.of(), loops(COPY.replace("r2 += 0x1\n", "r2 += 0x2\n")));
        // A start that is no constant, or a negative one.
        assertEquals(List.of(), loops(COPY.replace("r2 = 0x0\n", "r2 = r5\n")));
        assertEquals(List.of(), loops(COPY.replace("r2 = 0x0\n", "r2 = -0x1\n")));
        // != from the limit itself or above it would wrap around 2^32 first.
        assertEquals(List.of(), loops(COPY.replace("r2 = 0x0\n", "r2 = 0x20\n")));
        assertEquals(List.of(), loops(COPY.replace("r2 = 0x0\n", "r2 = 0x21\n")));
        // A limit at the top of the int range, or a negative one (an unsigned test would run past 2^31).
        assertEquals(List.of(), loops(EARLY_EXIT.replace("r2 < 0x28", "r2 < 0x7fffffff")));
        assertEquals(List.of(), loops(EARLY_EXIT.replace("r2 < 0x28", "r2 < -0x1")));
        // A test that counts down, or against a register.
        assertEquals(List.of(), loops(EARLY_EXIT.replace("r2 < 0x28", "r2 > 0x28")));
        assertEquals(List.of(), loops(EARLY_EXIT.replace("r2 < 0x28", "r2 < r5")));
        // The counter in r0-r5 across a call, which writes them.
        assertEquals(List.of(), loops(WITH_CALL.replace("r6", "r5")));
        // A jump into the loop from before it, or a join between the start value and the loop.
        assertEquals(List.of(), loops("if r5 == 0x0 goto inside\n" + COPY.replace("r4 = r3\n", "inside:\nr4 = r3\n")));
        assertEquals(List.of(),
                loops(COPY.replace("w0 = 0x0\n", "if r5 == 0x0 goto join\nr0 = 0x1\njoin:\nw0 = 0x0\n")));
        // An inner loop (the increment could run many times per test): only the inner loop, by its iterations.
        assertEquals(List.of("header 9, latch 10, by iterations, slots 9-10"),
                loops(COPY.replace("w0 += w4\n", "inner:\nw0 += w4\nif w0 < 0x3 goto inner\n")));
    }

    @Test
    void aCountedLoopCountsWithAnInt() {
        var generated = Jit.generate(Assembler.assemble(COPY), HelperRegistry.empty(), Long.MAX_VALUE,
                JitSplitTest.lddwValues(Assembler.assemble(COPY)), null);
        assertTrue(increments(generated, "f0"), "the counter's increment is an iinc");
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy", "early exit", "exit inside", "with call", "rotated", "forward latch", "shifts"})
    void countedLoopsComputeWhatTheInterpreterDoes(String name) {
        String source = switch (name) {
            case "copy" -> COPY;
            case "early exit" -> EARLY_EXIT;
            case "exit inside" -> EXIT_INSIDE;
            case "rotated" -> ROTATED;
            case "forward latch" -> FORWARD_LATCH;
            case "shifts" -> SHIFTS;
            default -> WITH_CALL;
        };
        // Straight code before the loop, so that chunks of a split subprogram end before the loop starts.
        Instructions program = Assembler.assemble("r8 = 0x1\n".repeat(40) + source);
        boolean narrowedInChunk = false;
        for (int seven : new int[] {-1, 5, 30, 45, 63}) {
            for (long end : new long[] {40, 64}) {
                String expected = run(Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE),
                        seven, end);
                assertEquals(expected, run(Engine.JIT.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE),
                        seven, end), name);
                assertEquals(expected, run(Engine.JIT.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE,
                        null, true, AccessFacts.none()), seven, end), name + ", blinded");
                for (int budget : new int[] {300, 400, 500, 600, 700, 900}) {
                    var generated = Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE,
                            JitSplitTest.lddwValues(program), null, AccessFacts.none(), budget, 50_000);
                    var split = new JitProgram(generated.define(), program, HelperRegistry.empty(), Long.MAX_VALUE);
                    narrowedInChunk |= JitSplitTest.chunkMethods(generated) > 1 && increments(generated, "c");
                    assertEquals(expected, run(split, seven, end), name + ", chunks of " + budget);
                }
            }
            // A backward-jump limit stops both engines at the same jump.
            assertEquals(run(Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), 5), seven, 64),
                    run(Engine.JIT.prepare(program, HelperRegistry.empty(), 5), seven, 64), name + ", limited");
        }
        assertTrue(narrowedInChunk, "some plan keeps the loop inside one chunk, counted");
    }

    /**
     * The three shapes with random starts, limits (near the payload's end and near the int range's top) and tests,
     * counted or not: the JIT computes what the interpreter does, including where a backward-jump limit stops both.
     */
    @Test
    void randomCountedLoopsComputeWhatTheInterpreterDoes() {
        Random random = new Random(9669);
        String[] tests = {"<", "<=", "!=", "s<", "s<="};
        int counted = 0;
        int left = 0;
        for (int i = 0; i < 150; i++) {
            String test = tests[random.nextInt(tests.length)];
            boolean wide = random.nextBoolean();
            long start = random.nextInt(4) == 0 ? random.nextInt(70) : random.nextInt(8);
            long limit = switch (random.nextInt(4)) {
                case 0 -> 0x7fffffffL - random.nextInt(4);
                case 1 -> random.nextInt(8);
                default -> random.nextInt(70);
            };
            String shape = switch (i % 3) {
                case 0 -> COPY.replace("if w2 != 0x20", "if " + (wide ? "r2 " : "w2 ") + test + " " + limit);
                case 1 -> ROTATED.replace("if w3 < 0x1e", "if " + (wide ? "r3 " : "w3 ") + test + " " + limit);
                default -> FORWARD_LATCH.replace("if r2 != 0x28", "if " + (wide ? "r2 " : "w2 ") + test + " " + limit);
            };
            String source = shape.replaceFirst("r2 = 0x0", "r2 = " + start);
            if (loops(source).isEmpty()) {
                left++;
            } else {
                counted++;
            }
            Instructions program = Assembler.assemble(source);
            int seven = random.nextInt(68) - 4;
            long end = 40 + random.nextInt(25);
            long jumps = random.nextBoolean() ? 1_000 : 3 + random.nextInt(30);
            String expected = run(Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), jumps), seven, end);
            assertEquals(expected, run(Engine.JIT.prepare(program, HelperRegistry.empty(), jumps), seven, end),
                    source);
            assertEquals(expected, run(Engine.JIT.prepare(program, HelperRegistry.empty(), jumps, null, true,
                    AccessFacts.none()), seven, end), source + ", blinded");
        }
        assertTrue(counted > 30 && left > 30, counted + " counted, " + left + " left alone");
    }

    /** Whether some method increments local {@code local} with an iinc. */
    private static boolean incrementsLocal(GeneratedClasses generated, int local) {
        for (byte[] file : generated.classFiles()) {
            for (MethodModel method : ClassFile.of().parse(file).methods()) {
                if (method.code().isPresent() && method.code().get().elementList().stream()
                        .anyMatch(e -> e instanceof IncrementInstruction increment && increment.slot() == local)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a method whose name starts with {@code prefix} holds an iinc: a counted loop inside it. */
    private static boolean increments(GeneratedClasses generated, String prefix) {
        for (byte[] file : generated.classFiles()) {
            for (MethodModel method : ClassFile.of().parse(file).methods()) {
                boolean named = method.methodName().stringValue().startsWith(prefix);
                if (named && method.code().isPresent() && method.code().get().elementList().stream()
                        .anyMatch(IncrementInstruction.class::isInstance)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first subprogram's counted loops, described: header, latch, counter, increment, copy, slots. */
    private static List<String> loops(String source) {
        Instructions program = Assembler.assemble(source);
        Subprograms subprograms = Subprograms.of(program);
        return CountedLoops.in(new SubprogramFlow(program, subprograms.start(0), subprograms.end(0))).stream()
                .map(CountedLoopsTest::describe).toList();
    }

    private static String describe(CountedLoops.Loop loop) {
        StringBuilder slots = new StringBuilder();
        int[] members = loop.slots().toArray();
        for (int i = 0; i < members.length; i++) {
            int from = members[i];
            while (i + 1 < members.length && members[i + 1] == members[i] + 1) {
                i++;
            }
            slots.append(slots.isEmpty() ? "" : " ").append(from == members[i] ? "" + from : from + "-" + members[i]);
        }
        String counter = loop.countsRegister() ? "r" + loop.register() + ", increment " + loop.increment()
                + (loop.testsCopy() ? ", copy " + loop.copy() : "") : "by iterations";
        return "header " + loop.header() + ", latch " + loop.latch() + ", " + counter + ", slots " + slots;
    }

    /**
     * Runs with r1 at 64 writable bytes (0, 1, 2, ...; 7 at {@code seven} if in range, elsewhere no 7) and r5 at
     * {@code r1 + end}: r0 or the fault, and the bytes as the run left them.
     */
    private static String run(Executable executable, int seven, long end) {
        byte[] memory = new byte[64];
        for (int i = 0; i < memory.length; i++) {
            memory[i] = (byte) (i == 7 ? 0x70 : i);
        }
        if (seven >= 0) {
            memory[seven] = 7;
        }
        var invocation = new Invocation();
        long r1 = invocation.map(Region.of("input", memory));
        try {
            return "r0 = " + executable.run(invocation, r1, 0, 0, 0, r1 + end) + ", " + Arrays.toString(memory);
        } catch (ProgramFault e) {
            return "fault: " + e.getMessage() + ", " + Arrays.toString(memory);
        }
    }
}
