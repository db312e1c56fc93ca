package org.ebpf4j.bench;

import java.util.function.LongSupplier;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.TestRun;

/**
 * One suite program loaded on one target, run in batches of {@value #REPEAT} test runs on the benchmark frame; each
 * {@link #getAsLong} returns the batch's ns/run as the run reports it. {@link PairedComparison} reaches this class by
 * name through each build's class loader and uses it only through the platform's interfaces.
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

    /** Loads {@code program} on {@code target} (a {@link SuiteTarget} name) as the suite's benchmark does. */
    public static SuiteRunner open(String program, String target) {
        SuiteTarget on = SuiteTarget.valueOf(target);
        Collection collection = on.open().load(SuitePrograms.load(program), on.options());
        return new SuiteRunner(collection, collection.program(program));
    }

    @Override
    public long getAsLong() {
        return program.testRun(run).nanosPerRun();
    }

    @Override
    public void close() {
        collection.close();
    }
}
