package org.ebpf4j.runtime;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.ProgramBuilder;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tail calls between prepared programs, without a backend: they do not grow the JVM stack (every tail-called program
 * of a chain runs at the same Java depth), and they cross engines.
 */
class TailCallStackTest {
    private static final int STACK_DEPTH_HELPER = 1000;

    /** A program as a prog array holds it, without a backend around it. */
    private record Loaded(String name, Executable executable, int id) implements RunnableProgram {

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

    @org.junit.jupiter.api.Test
    void aTailCallReachesAProgramOfTheOtherEngine() {
        var spec = new MapSpec("next", MapType.PROG_ARRAY, 4, 4, 2, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
        try (JvmMap array = JvmMaps.create(spec)) {
            // slot 0 (JIT): tail-calls slot 1 with r1 + 1; slot 1 (interpreter): returns ctx * 10 + 1.
            var first = new ProgramBuilder()
                    .alu64(AluOp.ADD, R1, 1)
                    .lddw(R2, array.handle())
                    .mov64(R3, 1)
                    .call(HelperFunction.TAIL_CALL.value())
                    .mov64(R0, -1)
                    .exit()
                    .build();
            var second = new ProgramBuilder().mov64(R0, R1).alu64(AluOp.MUL, R0, 10).alu64(AluOp.ADD, R0, 1).exit().build();
            Executable jit = Engine.JIT.prepare(first, HelperRegistry.empty(), Long.MAX_VALUE);
            Executable interpreted = Engine.INTERPRETER.prepare(second, HelperRegistry.empty(), Long.MAX_VALUE);
            array.update(new byte[] {0, 0, 0, 0}, new Loaded("first", jit, 1), MapUpdateFlags.BPF_ANY);
            array.update(new byte[] {1, 0, 0, 0}, new Loaded("second", interpreted, 2), MapUpdateFlags.BPF_ANY);
            assertEquals(51, jit.run(new Invocation(), 4, 0, 0, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFaultInATailCallsTargetNamesTheTarget(Engine engine) {
        var spec = new MapSpec("next", MapType.PROG_ARRAY, 4, 4, 1, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
        try (JvmMap array = JvmMaps.create(spec)) {
            var caller = new ProgramBuilder()
                    .lddw(R2, array.handle())
                    .mov64(R3, 0)
                    .call(HelperFunction.TAIL_CALL.value())
                    .exit()
                    .build();
            var faulting = new ProgramBuilder().mov64(R1, 0).ldx(org.ebpf4j.isa.Size.W, R0, R1, 0).exit().build();
            Executable entry = engine.prepare(caller, HelperRegistry.empty(), Long.MAX_VALUE);
            array.update(new byte[4], new Loaded("bad", engine.prepare(faulting, HelperRegistry.empty(),
                    Long.MAX_VALUE), 1), MapUpdateFlags.BPF_ANY);
            ProgramFault fault = org.junit.jupiter.api.Assertions.assertThrows(ProgramFault.class,
                    () -> entry.run(new Invocation(), 0, 0, 0, 0, 0));
            assertEquals("program 'bad' stopped at insn 1: read of 4 bytes at 0x0: no region is mapped there",
                    fault.getMessage());
            assertEquals(fault, fault.in("caller"), "a named fault keeps its program");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aChainOfTailCallsRunsAtOneJavaStackDepth(Engine engine) {
        List<Long> depths = new ArrayList<>();
        HelperRegistry helpers = HelperRegistry.empty().with(STACK_DEPTH_HELPER, "stack_depth",
                (c, r1, r2, r3, r4, r5) -> {
                    long depth = StackWalker.getInstance().walk(frames -> frames.count());
                    depths.add(depth);
                    return depth;
                });
        var spec = new MapSpec("self", MapType.PROG_ARRAY, 4, 4, 1, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
        try (JvmMap array = JvmMaps.create(spec)) {
            // r6 = ctx; record the depth; bpf_tail_call(ctx, array, 0); return 99 when it falls through
            var program = new ProgramBuilder()
                    .mov64(R6, R1)
                    .call(STACK_DEPTH_HELPER)
                    .mov64(R1, R6)
                    .lddw(R2, array.handle())
                    .mov64(R3, 0)
                    .call(HelperFunction.TAIL_CALL.value())
                    .mov64(R0, 99)
                    .exit()
                    .build();
            Executable self = engine.prepare(program, helpers, Long.MAX_VALUE);
            array.update(new byte[4], new Loaded("self", self, 1), MapUpdateFlags.BPF_ANY);
            assertEquals(99, self.run(new Invocation(), 0, 0, 0, 0, 0));
            assertEquals(1 + TailCalls.MAX_TAIL_CALLS, depths.size(), "runs: the first and 33 tail calls");
            // The first program runs from run(), the others from the trampoline below it: one depth for all 33.
            assertEquals(1, depths.subList(1, depths.size()).stream().distinct().count(), "Java stack depths "
                    + depths);
        }
    }
}
