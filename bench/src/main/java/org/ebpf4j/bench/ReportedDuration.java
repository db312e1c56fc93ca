package org.ebpf4j.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The duration per run that each test run reports itself ({@code TestRunResult.nanosPerRun}: the kernel's
 * {@code duration}, or the JVM's timing of the same loop), averaged over a measurement iteration. JMH reports an
 * {@code EVENTS} counter as the field's value at the end of the iteration, so the field holds the running mean.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class ReportedDuration {
    /** Nanoseconds per run as the backend measured it, mean of this iteration's test runs. */
    public double reportedNanosPerRun;
    private long samples;

    @Setup(Level.Iteration)
    public void reset() {
        reportedNanosPerRun = 0;
        samples = 0;
    }

    void add(long nanosPerRun) {
        samples++;
        reportedNanosPerRun += (nanosPerRun - reportedNanosPerRun) / samples;
    }
}
