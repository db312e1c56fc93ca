package org.ebpf4j.bench;

import java.util.function.LongSupplier;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;

/**
 * One suite program loaded on one target, run in batches of {@value #REPEAT} test runs on the benchmark frame:
 * {@link KernelComparisonBenchmark}'s unit of work, and {@link PairedComparison}'s, which reaches this class by name
 * through each build's class loader and uses it only through the platform's interfaces ({@link #getAsLong} returns
 * a batch's ns/run as the run reports it).
 */
public final class SuiteRunner implements LongSupplier, AutoCloseable {
    static final int REPEAT = 1000;

    private final Collection collection;
    private final Program program;
    private final TestRun run;

    private SuiteRunner(Collection collection, Program program) {
        this.collection = collection;
        this.program = program;
        this.run = TestRun.of(BenchPacket.udpFrame()).repeat(REPEAT);
    }

    /** Loads {@code program} on {@code target} (a {@link SuiteTarget} name): the form reflection calls. */
    public static SuiteRunner open(String program, String target) {
        return open(program, SuiteTarget.valueOf(target));
    }

    static SuiteRunner open(String program, SuiteTarget target) {
        Collection collection = target.open().load(SuitePrograms.load(program), target.options());
        return new SuiteRunner(collection, collection.program(program));
    }

    /** One batch. */
    TestRunResult run() {
        return program.testRun(run);
    }

    @Override
    public long getAsLong() {
        return run().nanosPerRun();
    }

    @Override
    public void close() {
        collection.close();
    }
}
