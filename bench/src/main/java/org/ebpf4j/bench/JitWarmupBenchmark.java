package org.ebpf4j.bench;

import java.util.concurrent.TimeUnit;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How soon a freshly compiled 4096-instruction program (loop-free, so the JIT splits it into several chunk
 * methods) runs at the speed of C2's code, and what that speed is. {@link #warmUp} loads a new copy of the program
 * (new hidden classes, which HotSpot compiles from scratch) and runs it until a batch of runs is within 1.5x of the
 * steady state measured in setup: its single-shot time is load plus warm-up. {@link #steadyState} is the time per
 * run once warm, on each engine, with and without constant blinding.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class JitWarmupBenchmark {
    static final int SIZE = 4096;
    private static final int BATCH = 64;
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    @Param({"false", "true"})
    public boolean blind;

    private final Instructions program = BenchPrograms.straightLine(SIZE, 4096);
    private final HelperRegistry helpers = HelperRegistry.empty();
    private Executable warm;
    private Invocation invocation;
    private double steadyNanosPerRun;

    @Setup
    public void calibrate() {
        invocation = new Invocation();
        warm = engine.prepare(program, helpers, Long.MAX_VALUE, null, blind);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double best = Double.MAX_VALUE;
        while (System.nanoTime() < end) {
            best = Math.min(best, batch(warm));
        }
        steadyNanosPerRun = best;
    }

    /** Nanoseconds per run, averaged over one batch. */
    private double batch(Executable executable) {
        long start = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < BATCH; i++) {
            sink += executable.run(invocation, sink, 0, 0, 0, 0);
        }
        long elapsed = System.nanoTime() - start;
        return sink == 42 ? elapsed : (double) elapsed / BATCH;
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 2)
    @Measurement(iterations = 10)
    public int warmUp() {
        long start = System.nanoTime();
        Executable fresh = engine.prepare(program, helpers, Long.MAX_VALUE, null, blind);
        int batches = 0;
        while (batch(fresh) > 1.5 * steadyNanosPerRun) {
            batches++;
            if (System.nanoTime() - start > GIVE_UP_NANOS) {
                throw new IllegalStateException("no steady state after 60 s");
            }
        }
        return batches;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 1)
    public long steadyState() {
        return warm.run(invocation, 0, 0, 0, 0, 0);
    }
}
