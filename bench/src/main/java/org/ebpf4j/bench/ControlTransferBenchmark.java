package org.ebpf4j.bench;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R10;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.RunnableProgram;
import org.ebpf4j.runtime.TailCalls;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per control transfer on each engine: a tail call (a program tail-calling itself until the limit
 * stops it: 33 calls per run, each through the trampoline) and a {@code bpf_loop} callback (a 1000-iteration loop
 * whose callback adds its index to a stack slot).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class ControlTransferBenchmark {
    private static final int LOOPS = 1000;

    /** What the prog array holds: the prepared program, without a backend. */
    private record Loaded(Executable executable) implements RunnableProgram {
        @Override
        public int id() {
            return 1;
        }

        @Override
        public String name() {
            return "self";
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

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    private JvmMap progArray;
    private Executable chain;
    private Executable loop;
    private Invocation invocation;

    @Setup(Level.Trial)
    public void setUp() {
        progArray = JvmMaps.create(new MapSpec("self", MapType.PROG_ARRAY, 4, 4, 1, 0, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF));
        // bpf_tail_call(ctx, self, 0); return 0
        chain = engine.prepare(new ProgramBuilder()
                .lddw(R2, progArray.handle())
                .mov64(R3, 0)
                .call(HelperFunction.TAIL_CALL.value())
                .mov64(R0, 0)
                .exit()
                .build(), HelperRegistry.empty(), Long.MAX_VALUE);
        progArray.update(new byte[4], new Loaded(chain), MapUpdateFlags.BPF_ANY);
        // *(fp - 8) = 0; bpf_loop(LOOPS, callback, fp - 8, 0); return *(fp - 8), the callback adding its index
        loop = engine.prepare(new ProgramBuilder()
                .st(Size.DW, R10, -8, 0)
                .mov64(R1, LOOPS)
                .lddwFunction(R2, "callback")
                .mov64(R3, R10)
                .alu64(AluOp.ADD, R3, -8)
                .mov64(R4, 0)
                .call(HelperFunction.LOOP.value())
                .ldx(Size.DW, R0, R10, -8)
                .exit()
                .label("callback")
                .ldx(Size.DW, R0, R2, 0)
                .alu64(AluOp.ADD, R0, R1)
                .stx(Size.DW, R2, 0, R0)
                .mov64(R0, 0)
                .exit()
                .build(), HelperRegistry.empty(), Long.MAX_VALUE);
        invocation = new Invocation();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        progArray.close();
    }

    @Benchmark
    @OperationsPerInvocation(TailCalls.MAX_TAIL_CALLS)
    public long tailCall() {
        return chain.run(invocation, 0, 0, 0, 0, 0);
    }

    @Benchmark
    @OperationsPerInvocation(LOOPS)
    public long loopCallback() {
        return loop.run(invocation, 0, 0, 0, 0, 0);
    }
}
