package org.ebpf4j.bench;

import java.util.concurrent.TimeUnit;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per executed eBPF instruction on each engine (the interpreter and the JIT, one run, so their figures
 * compare directly). Each program's dynamic instruction count is known
 * exactly ({@code OperationsPerInvocation}), so JMH reports time per instruction. {@link #javaAluLoop} is the same
 * ALU loop written in Java: the baseline the engines' figures are read against. The memory loop is verified, so
 * the JIT compiles its stack accesses from the verifier's facts, as it does for programs the JVM backend loads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class InterpreterBenchmark {
    private static final int ALU_LOOP_INSNS = BenchPrograms.ALU_LOOP_INSNS;
    private static final int MEMORY_LOOP_INSNS = BenchPrograms.MEMORY_LOOP_INSNS;
    private static final int CALL_LOOP_INSNS = BenchPrograms.CALL_LOOP_INSNS;

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    private Executable aluLoop;
    private Executable memoryLoop;
    private Executable callLoop;
    private Invocation invocation;

    @Setup(Level.Trial)
    public void setUp() {
        HelperRegistry helpers = BenchPrograms.helpers();
        aluLoop = engine.prepare(BenchPrograms.aluLoop(), helpers, Long.MAX_VALUE);
        memoryLoop = engine.prepare(BenchPrograms.memoryLoop(), helpers, Long.MAX_VALUE, null, false,
                BenchPrograms.verifiedFacts(BenchPrograms.memoryLoop()));
        callLoop = engine.prepare(BenchPrograms.callLoop(), helpers, Long.MAX_VALUE);
        invocation = new Invocation();
    }

    @Benchmark
    @OperationsPerInvocation(ALU_LOOP_INSNS)
    public long aluLoop() {
        return aluLoop.run(invocation, 0, 0, 0, 0, 0);
    }

    @Benchmark
    @OperationsPerInvocation(MEMORY_LOOP_INSNS)
    public long memoryLoop() {
        return memoryLoop.run(invocation, 0, 0, 0, 0, 0);
    }

    @Benchmark
    @OperationsPerInvocation(CALL_LOOP_INSNS)
    public long callLoop() {
        return callLoop.run(invocation, 0, 0, 0, 0, 0);
    }

    /** The ALU loop's arithmetic in Java, per eBPF instruction of the loop it mirrors. */
    @Benchmark
    @OperationsPerInvocation(ALU_LOOP_INSNS)
    public long javaAluLoop() {
        long r0 = 0;
        for (long r1 = BenchPrograms.ITERATIONS; r1 != 0; r1--) {
            r0 += r1;
            r0 ^= 0x55;
            r0 <<= 3;
            r0 >>>= 1;
            r0 = (r0 * 7) & 0xffff_ffffL;
            r0 |= r1;
        }
        return r0;
    }
}
