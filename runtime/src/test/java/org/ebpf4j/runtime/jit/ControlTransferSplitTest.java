package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R6;
import static org.ebpf4j.isa.Register.R7;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.RunnableProgram;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * Tail calls and callbacks from inside split subprograms (tiny chunks): the same results as the interpreter, with
 * the prog array's slot filled and empty, a tail call made in the main frame and one made in a subprogram.
 */
class ControlTransferSplitTest {
    private static final long LIMIT = 1L << 26;

    private record Loaded(String name, Executable executable) implements RunnableProgram {
        @Override
        public int id() {
            return 1;
        }

        @Override
        public ProgramType type() {
            return ProgramType.XDP;
        }

        @Override
        public ProgramSpec spec() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TestRunResult testRun(TestRun run) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }

    private static void pad(ProgramBuilder b, int count) {
        for (int i = 0; i < count; i++) {
            b.alu64(AluOp.ADD, R7, i % 5 + 1);
        }
    }

    /**
     * main: r7 = pad; r0 = bpf_loop(3, count, 0, 0); r7 += r0 + sub(ctx); tail call slot 0 (main frame); return r7.
     * sub: pad; tail call slot 0 (replaces sub); return 5. count: pad r7 (its own), return 0.
     */
    private static Instructions program(long progArray) {
        var b = new ProgramBuilder().mov64(R6, R1).mov64(R7, 0);
        pad(b, 150);
        b.mov64(R1, 3).lddwFunction(R2, "count").mov64(R3, 0).mov64(R4, 0).call(HelperFunction.LOOP.value())
                .alu64(AluOp.ADD, R7, R0)
                .mov64(R1, R6).callLocal("sub").alu64(AluOp.ADD, R7, R0);
        pad(b, 150);
        b.mov64(R1, R6).lddw(R2, progArray).mov64(R3, 0).call(HelperFunction.TAIL_CALL.value())
                .mov64(R0, R7).exit();
        b.label("sub").mov64(R7, 0);
        pad(b, 150);
        b.lddw(R2, progArray).mov64(R3, 0).call(HelperFunction.TAIL_CALL.value()).mov64(R0, 5).exit();
        b.label("count").mov64(R7, 0);
        pad(b, 150);
        return b.mov64(R0, 0).exit().build();
    }

    @Test
    void splitSubprogramsTailCallAndCallBackAsTheInterpreterDoes() {
        var spec = new MapSpec("jumps", MapType.PROG_ARRAY, 4, 4, 1, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
        try (JvmMap array = JvmMaps.create(spec)) {
            Instructions program = program(array.handle());
            var generated = Jit.generate(program, HelperRegistry.empty(), LIMIT, JitSplitTest.lddwValues(program),
                    null, 400);
            assertTrue(JitSplitTest.chunkMethods(generated) > 4, "split: " + JitSplitTest.chunkMethods(generated));
            Executable jit = new JitProgram(generated.define(), program, HelperRegistry.empty(), LIMIT);
            Executable interpreter = Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), LIMIT);
            long empty = interpreter.run(new Invocation(), 7, 0, 0, 0, 0);
            assertEquals(empty, jit.run(new Invocation(), 7, 0, 0, 0, 0), "empty slot: every tail call falls through");
            // The target: r0 = ctx * 10 + 3.
            var target = new ProgramBuilder().mov64(R0, R1).alu64(AluOp.MUL, R0, 10).alu64(AluOp.ADD, R0, 3).exit()
                    .build();
            array.update(new byte[4], new Loaded("target", Engine.INTERPRETER.prepare(target,
                    HelperRegistry.empty(), LIMIT)), MapUpdateFlags.BPF_ANY);
            long filled = interpreter.run(new Invocation(), 7, 0, 0, 0, 0);
            assertEquals(73, filled, "the main frame's tail call ends the run with the target's r0");
            assertEquals(filled, jit.run(new Invocation(), 7, 0, 0, 0, 0));
        }
    }
}
