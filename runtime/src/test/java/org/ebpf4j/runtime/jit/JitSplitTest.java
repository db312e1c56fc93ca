package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Programs far over one JVM method are split into chunk methods (and, past one constant pool, classes), give the
 * interpreter's results, and no generated method is over HotSpot's 8000-byte limit for compiled code.
 */
class JitSplitTest {
    private static final long LIMIT = 100_000_000L;

    @Test
    void aHundredThousandInstructionsCompileSplitAndMatchTheInterpreter() {
        Instructions program = LargePrograms.generate(100_000, 100);
        assertInstanceOf(JitProgram.class, Jit.load(program, HelperRegistry.empty(), LIMIT, null),
                "compiled, not left to the interpreter");
        agreeWithTheInterpreter(program, 8);
    }

    /** The verifier's limit: too many constants for one class, so the chunks spread over several. */
    @Test
    void aMillionInstructionsCompileSplitAndMatchTheInterpreter() {
        Instructions program = LargePrograms.generate(1_000_000, 1_000);
        assertTrue(agreeWithTheInterpreter(program, 2).classFiles().size() > 1);
    }

    /**
     * The largest programs of the verifier corpus, kernel test_verifier cases of about a million instructions
     * (semi-random 64-bit immediates; the scale tests, which call bpf_get_prandom_u32 throughout), compile and give
     * the interpreter's results and the return value (BPF_PROG_TEST_RUN's u32) their authors state.
     */
    @ParameterizedTest
    @CsvSource({"0458, 2024930142", "0501, 42", "0502, 42"})
    void theLargestCorpusProgramsCompileAndGiveTheirExpectedResult(String id, long expected) throws Exception {
        Path corpus = Path.of("..", "..", "shared", "verifier-corpus", "cases", "test_verifier");
        assumeTrue(Files.isDirectory(corpus), "shared/verifier-corpus not found next to the project");
        Instructions program = Instructions.decode(Files.readAllBytes(corpus.resolve(id).resolve("prog.bin")));
        assertTrue(program.slotCount() > 900_000, "slots " + program.slotCount());
        var prandom = new java.util.concurrent.atomic.AtomicLong();
        HelperRegistry helpers = HelperRegistry.empty().with(7, "get_prandom_u32",
                (ctx, a, b, c, d, e) -> prandom.incrementAndGet() * 0x9e37_79b9L & 0xffff_ffffL);
        var generated = Jit.generate(program, helpers, LIMIT, lddwValues(program), null);
        assertEquals(List.of(), methodsOverTheLimit(generated));
        Executable jit = new JitProgram(generated.define(), program, helpers, LIMIT);
        Executable interpreter = Engine.INTERPRETER.prepare(program, helpers, LIMIT);
        byte[] context = new byte[256];
        prandom.set(0);
        String interpreted = outcome(interpreter, context);
        prandom.set(0);
        assertEquals(interpreted, outcome(jit, context));
        long r0 = Long.parseLong(interpreted.substring("r0 = ".length(), interpreted.indexOf(',')));
        assertEquals(expected, r0 & 0xffff_ffffL);
    }

    /** A plan that puts too many constants in one class is caught while building and redone with smaller classes. */
    @Test
    void anOverfullConstantPoolIsReplannedWithSmallerClasses() throws Exception {
        Path corpus = Path.of("..", "..", "shared", "verifier-corpus", "cases", "test_verifier", "0458");
        assumeTrue(Files.isDirectory(corpus), "shared/verifier-corpus not found next to the project");
        Instructions program = Instructions.decode(Files.readAllBytes(corpus.resolve("prog.bin")));
        var generated = Jit.generate(program, HelperRegistry.empty(), LIMIT, lddwValues(program), null, 7000,
                1 << 30);
        assertTrue(generated.classFiles().size() > 1, "classes: " + generated.classFiles().size());
        for (byte[] bytes : generated.classFiles()) {
            assertTrue(ClassFile.of().parse(bytes).constantPool().size() < 65_535);
        }
    }

    /** Programs whose jumps, loops and calls cross the boundaries of small chunks at every place. */
    @Test
    void manySmallProgramsAgreeWhenSplitIntoTinyChunks() {
        var random = new Random(7);
        for (int n = 0; n < 25; n++) {
            Instructions program = LargePrograms.generate(3_000 + random.nextInt(3_000), n);
            var generated = Jit.generate(program, HelperRegistry.empty(), LIMIT, lddwValues(program), null, 400);
            assertTrue(chunkMethods(generated) > 4, "split: " + chunkMethods(generated));
            Executable jit = new JitProgram(generated.define(), program, HelperRegistry.empty(), LIMIT);
            Executable interpreter = Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), LIMIT);
            byte[] input = input(random);
            assertEquals(outcome(interpreter, input), outcome(jit, input), "program " + n);
        }
    }

    @Test
    void aSmallProgramStaysOneMethodPerSubprogram() {
        var b = new ProgramBuilder().mov64(Register.R0, 0);
        for (int i = 0; i < 200; i++) {
            b.alu64(AluOp.ADD, Register.R0, 1);
        }
        Instructions program = b.exit().build();
        var generated = Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE, lddwValues(program), null);
        assertEquals(1, generated.classFiles().size());
        assertEquals(List.of("f0"), generated.methodNames().get(0));
    }

    /** The backward-jump budget counts jumps that leave a chunk as it counts the others. */
    @Test
    void theBackwardJumpLimitHoldsAcrossChunks() {
        var b = new ProgramBuilder().mov64(Register.R0, 0).label("top");
        for (int i = 0; i < 3000; i++) {
            b.alu64(AluOp.ADD, Register.R0, 1);
        }
        Instructions program = b.jump(JumpOp.JNE, Register.R0, 0, "top").exit().build();
        var jit = Jit.load(program, HelperRegistry.empty(), 1000, null);
        assertInstanceOf(JitProgram.class, jit);
        var fault = assertThrows(ProgramFault.class, () -> jit.run(new Invocation(), 0, 0, 0, 0, 0));
        assertEquals("insn 3001: stopped after 1000 backward jumps", fault.getMessage());
    }

    private static GeneratedClasses agreeWithTheInterpreter(Instructions program, int inputs) {
        var generated = Jit.generate(program, HelperRegistry.empty(), LIMIT, lddwValues(program), null);
        Executable jit = new JitProgram(generated.define(), program, HelperRegistry.empty(), LIMIT);
        assertTrue(chunkMethods(generated) > 10, "split into chunks: " + chunkMethods(generated));
        assertEquals(List.of(), methodsOverTheLimit(generated));
        Executable interpreter = Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), LIMIT);
        var random = new Random(program.size());
        for (int i = 0; i < inputs; i++) {
            byte[] input = input(random);
            assertEquals(outcome(interpreter, input), outcome(jit, input), "input " + i);
        }
        return generated;
    }

    static List<String> methodsOverTheLimit(GeneratedClasses generated) {
        List<String> over = new ArrayList<>();
        for (byte[] bytes : generated.classFiles()) {
            var model = ClassFile.of().parse(bytes);
            for (var method : model.methods()) {
                method.findAttribute(Attributes.code()).ifPresent(code -> {
                    if (code.codeLength() > Jit.HUGE_METHOD_LIMIT) {
                        over.add(method.methodName().stringValue() + ": " + code.codeLength());
                    }
                });
            }
        }
        return over;
    }

    static long chunkMethods(GeneratedClasses generated) {
        return generated.methodNames().stream().flatMap(List::stream).filter(n -> n.startsWith("c")).count();
    }

    static long[] lddwValues(Instructions program) {
        long[] values = new long[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            if (program.get(i).isLddw()) {
                values[program.slotOf(i)] = program.get(i).imm();
            }
        }
        return values;
    }

    private static byte[] input(Random random) {
        byte[] input = new byte[64];
        random.nextBytes(input);
        return input;
    }

    /** r0 or the fault, and the input memory as the program left it. */
    private static String outcome(Executable executable, byte[] input) {
        var invocation = new Invocation();
        byte[] memory = input.clone();
        long r1 = invocation.map(Region.of("input", memory));
        String end;
        try {
            end = "r0 = " + executable.run(invocation, r1, 0, 0, 0, 0);
        } catch (ProgramFault e) {
            end = "fault: " + e.getMessage();
        }
        return end + ", memory " + Arrays.toString(memory);
    }
}
