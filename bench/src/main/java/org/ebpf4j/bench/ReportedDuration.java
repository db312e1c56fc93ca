package org.ebpf4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The duration per run that each test run reports itself ({@code TestRunResult.nanosPerRun}: the kernel's
 * {@code duration}, or the JVM's timing of the same loop), averaged per measurement iteration and printed when the
 * trial ends as a line {@code reported ns/run: MEAN (per iteration: A, B, C)}. (A JMH auxiliary counter cannot
 * carry it: JMH sums those over the iterations.)
 */
@State(Scope.Thread)
public class ReportedDuration {
    private final List<Double> iterationMeans = new ArrayList<>();
    private boolean measuring;
    private double sum;
    private long samples;

    @Setup(Level.Iteration)
    public void start(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        sum = 0;
        samples = 0;
    }

    void add(long nanosPerRun) {
        sum += nanosPerRun;
        samples++;
    }

    @TearDown(Level.Iteration)
    public void end() {
        if (measuring && samples > 0) {
            iterationMeans.add(sum / samples);
        }
    }

    @TearDown(Level.Trial)
    public void print() {
        double mean = iterationMeans.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "reported ns/run: %.1f (per iteration:", mean));
        for (double m : iterationMeans) {
            line.append(String.format(Locale.ROOT, " %.1f", m));
        }
        System.out.println(line.append(')'));
    }
}
