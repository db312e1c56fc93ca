package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.conformance.ConformanceSuite;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.conformance.ConformanceRunner;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.junit.jupiter.api.Test;

class JitTest {

    /** Passing the conformance suite proves little if the JIT quietly handed the programs to the interpreter. */
    @Test
    void everyConformanceProgramIsCompiledNotInterpreted() {
        var suite = ConformanceSuite.locate(Path.of("").toAbsolutePath());
        assumeTrue(suite.isPresent(), "shared/conformance not found next to the project");
        var interpreted = new ArrayList<String>();
        int compiled = 0;
        for (var vector : ConformanceSuite.readTsv(suite.get().resolve("conformance_corpus.tsv"))) {
            try {
                var executable = Jit.load(vector.instructions(), HelperRegistry.empty(), Long.MAX_VALUE, null);
                if (executable instanceof JitProgram) {
                    compiled++;
                } else {
                    interpreted.add(vector.name());
                }
            } catch (InvalidProgramException e) {
                // refused at load by both engines alike
            }
        }
        assertEquals(new ArrayList<String>(), interpreted);
        assertTrue(compiled > 250, "compiled " + compiled);
    }

    @Test
    void aSubprogramOverTheHugeMethodLimitIsSplitAndCompiled() {
        var b = new ProgramBuilder().mov64(R0, 0);
        for (int i = 0; i < 3000; i++) {
            b.alu64(AluOp.ADD, R0, 1);
        }
        var executable = Jit.load(b.exit().build(), HelperRegistry.empty(), Long.MAX_VALUE, null);
        assertInstanceOf(JitProgram.class, executable);
        assertEquals(3000, executable.run(new Invocation(), 0, 0, 0, 0, 0));
    }

    @Test
    void aSubprogramOverTheJvmsMethodSizeLimitIsSplitAndCompiled() {
        var b = new ProgramBuilder().mov64(R0, 0);
        for (int i = 0; i < 20_000; i++) {
            b.alu64(AluOp.ADD, R0, 1);
        }
        var executable = Jit.load(b.exit().build(), HelperRegistry.empty(), Long.MAX_VALUE, null);
        assertInstanceOf(JitProgram.class, executable);
        assertEquals(20_000, executable.run(new Invocation(), 0, 0, 0, 0, 0));
    }

    /** Where no split can help (one callx over so many subprograms that it alone overflows a method). */
    @Test
    void anInstructionTooLargeForAnyMethodRunsOnTheInterpreter() {
        var b = new ProgramBuilder().mov64(R0, 0);
        for (int i = 119; i >= 0; i--) {
            b.lddwFunction(R1, "f" + i);
        }
        b.callx(R1).exit();
        for (int i = 0; i < 120; i++) {
            b.label("f" + i).mov64(R0, 1000 + i).exit();
        }
        var executable = Jit.load(b.build(), HelperRegistry.empty(), Long.MAX_VALUE, null);
        assertInstanceOf(Interpreter.class, executable);
        assertEquals(1000, executable.run(new Invocation(), 0, 0, 0, 0, 0));
    }

    @Test
    void aProgramUnderTheLimitIsCompiled() {
        var b = new ProgramBuilder().mov64(R0, 0);
        for (int i = 0; i < 500; i++) {
            b.alu64(AluOp.ADD, R0, 1);
        }
        var executable = Jit.load(b.exit().build(), HelperRegistry.empty(), Long.MAX_VALUE, null);
        assertInstanceOf(JitProgram.class, executable);
        assertEquals(500, executable.run(new Invocation(), 0, 0, 0, 0, 0));
    }

    @Test
    void theBackwardJumpLimitStopsLoopsAsOnTheInterpreter() {
        var program = new ProgramBuilder().mov64(R0, 0).label("top").alu64(AluOp.ADD, R0, 1).ja("top").exit().build();
        var fault = assertThrows(org.ebpf4j.runtime.ProgramFault.class,
                () -> Jit.load(program, HelperRegistry.empty(), 1000, null).run(new Invocation(), 0, 0, 0, 0, 0));
        assertEquals("insn 2: stopped after 1000 backward jumps", fault.getMessage());
        assertEquals(ConformanceRunner.BACKWARD_JUMP_LIMIT, 100_000_000L);
    }
}
