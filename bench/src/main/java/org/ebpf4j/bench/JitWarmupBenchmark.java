package org.ebpf4j.bench;

import java.util.Arrays;
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
 * (new hidden classes, which HotSpot compiles from scratch) and runs it in batches until one is within 1.5x of the
 * warm copy's time measured in the same shot (the best of its last {@value #REFERENCES} batches, one run after every
 * {@value #REFERENCE_EVERY} batches of the new copy): its single-shot time is load plus warm-up. Comparing with a
 * baseline taken during the shot, rather than once in setup, keeps the machine's own drift out of the figure: on a
 * shared 2-CPU machine the warm copy's speed moves by 1.5x from one second to the next. {@link #steadyState} is the
 * time per run once warm, on each engine, with and without constant blinding.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class JitWarmupBenchmark {
    static final int SIZE = 4096;
    private static final int BATCH = 64;
    private static final int REFERENCE_EVERY = 8;
    private static final int REFERENCES = 4;
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    @Param({"false", "true"})
    public boolean blind;

    private final Instructions program = BenchPrograms.straightLine(SIZE, 4096);
    private final HelperRegistry helpers = HelperRegistry.empty();
    private Executable warm;
    private Invocation invocation;

    /** Prepares the warm copy and runs it for 10 s, long enough for all its methods to reach C2. */
    @Setup
    public void warmTheReference() {
        invocation = new Invocation();
        warm = engine.prepare(program, helpers, Long.MAX_VALUE, null, blind);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            batch(warm);
        }
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
        double[] reference = new double[REFERENCES];
        for (int i = 0; i < REFERENCES; i++) {
            reference[i] = batch(warm);
        }
        long start = System.nanoTime();
        Executable fresh = engine.prepare(program, helpers, Long.MAX_VALUE, null, blind);
        int batches = 0;
        while (batch(fresh) > 1.5 * Arrays.stream(reference).min().orElseThrow()) {
            batches++;
            if (batches % REFERENCE_EVERY == 0) {
                reference[batches / REFERENCE_EVERY % REFERENCES] = batch(warm);
            }
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
