package org.ebpf4j.bench;

import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Two builds of ebpf4j compared on the benchmark suite inside one JVM. On a shared machine the time per run drifts by
 * up to 2x between minutes, and a JVM's compiled code can settle at one of two speeds for its whole life (see the
 * architecture notes), so two JMH runs one after the other cannot tell a 10% change from noise. Here each build gets
 * its own class loader over its benchmark jar, and batches of 1000 test runs alternate between build A, build B and
 * (where {@code bpf()} is permitted) the kernel, so that whatever the machine does hits all three alike; the figure
 * is the median of the paired ratios B / A, with its quartiles.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar org.ebpf4j.bench.PairedComparison \
 *     [--seconds 5] [--engine JIT|INTERPRETER] [--engine-b JIT|INTERPRETER] before/benchmarks.jar \
 *     after/benchmarks.jar [program ...]
 * }</pre>
 * Without programs, every suite program; the engine is ebpf4j's JIT unless {@code --engine} says otherwise, and B's
 * is A's unless {@code --engine-b} says otherwise. One jar on both sides shows the harness's own noise (about +-5%);
 * one jar with {@code --engine INTERPRETER --engine-b JIT} gives the JIT's speed-up over the interpreter measured in
 * the same minutes, and any one jar its JIT against the kernel so.
 */
public final class PairedComparison {
    private static final Duration WARM_UP = Duration.ofSeconds(2);

    private PairedComparison() {}

    /** The medians of one program: B / A paired, and each build against the kernel (NaN without one). */
    record Result(String program, int pairs, double ratio, double lowerQuartile, double upperQuartile,
                  double aToKernel, double bToKernel) {
        String line() {
            return String.format(Locale.ROOT, "%-16s pairs %4d  B/A %.3f [%.3f, %.3f]  A/kernel %.2f  B/kernel %.2f",
                    program, pairs, ratio, lowerQuartile, upperQuartile, aToKernel, bToKernel);
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        Duration time = Duration.ofSeconds(5);
        String engine = "JIT";
        String engineB = null;
        while (rest.size() >= 2 && rest.get(0).startsWith("--")) {
            switch (rest.get(0)) {
                case "--seconds" -> time = Duration.ofSeconds(Long.parseLong(rest.get(1)));
                case "--engine" -> engine = rest.get(1);
                case "--engine-b" -> engineB = rest.get(1);
                default -> {
                    System.err.println("PairedComparison: unknown option " + rest.get(0));
                    System.exit(2);
                }
            }
            rest = rest.subList(2, rest.size());
        }
        if (engineB == null) {
            engineB = engine;
        }
        if (rest.size() < 2 || !isEngine(engine) || !isEngine(engineB)) {
            System.err.println("usage: PairedComparison [--seconds N] [--engine JIT|INTERPRETER]"
                    + " [--engine-b JIT|INTERPRETER] A.jar B.jar [program ...]");
            System.exit(2);
        }
        ClassLoader a = loader(List.of(Path.of(rest.get(0))));
        ClassLoader b = loader(List.of(Path.of(rest.get(1))));
        List<String> programs = rest.size() > 2 ? rest.subList(2, rest.size()) : SuitePrograms.NAMES;
        System.out.println("A = " + rest.get(0) + " (" + engine + "), B = " + rest.get(1) + " (" + engineB + ")");
        try {
            for (String program : programs) {
                System.out.println(compare(a, b, program, engine, engineB, WARM_UP, time, true).line());
            }
        } catch (IllegalStateException e) {
            System.err.println("PairedComparison: " + e.getMessage());
            System.exit(1);
        }
    }

    /** A class loader over one build's classes and everything they need, sharing only the platform's classes. */
    static ClassLoader loader(List<Path> classPath) throws MalformedURLException {
        URL[] urls = new URL[classPath.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = classPath.get(i).toUri().toURL();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    private static boolean isEngine(String engine) {
        return engine.equals("JIT") || engine.equals("INTERPRETER");
    }

    static Result compare(ClassLoader a, ClassLoader b, String program, String engineA, String engineB,
                          Duration warmUp, Duration time, boolean withKernel) {
        try (AutoCloseable runA = open(a, program, engineA); AutoCloseable runB = open(b, program, engineB);
             AutoCloseable kernel = withKernel ? openKernel(a, program) : null) {
            LongSupplier first = (LongSupplier) runA;
            LongSupplier second = (LongSupplier) runB;
            long warm = System.nanoTime() + warmUp.toNanos();
            while (System.nanoTime() < warm) {
                first.getAsLong();
                second.getAsLong();
            }
            List<Double> ratios = new ArrayList<>();
            List<Double> aToKernel = new ArrayList<>();
            List<Double> bToKernel = new ArrayList<>();
            long end = System.nanoTime() + time.toNanos();
            while (System.nanoTime() < end) {
                double x = first.getAsLong();
                double y = second.getAsLong();
                ratios.add(y / x);
                if (kernel != null) {
                    double k = ((LongSupplier) kernel).getAsLong();
                    aToKernel.add(x / k);
                    bToKernel.add(y / k);
                }
            }
            return new Result(program, ratios.size(), quantile(ratios, 0.5), quantile(ratios, 0.25),
                    quantile(ratios, 0.75), quantile(aToKernel, 0.5), quantile(bToKernel, 0.5));
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(program + ": " + e.getMessage(), e);
        }
    }

    /** The kernel side, or null (and the reason printed) where this process may not call bpf(). */
    private static AutoCloseable openKernel(ClassLoader build, String program) {
        try {
            return open(build, program, "KERNEL");
        } catch (IllegalStateException e) {
            System.out.println(program + ": no kernel figures (" + e.getMessage() + ")");
            return null;
        }
    }

    private static AutoCloseable open(ClassLoader build, String program, String target) {
        try {
            return (AutoCloseable) build.loadClass(SuiteRunner.class.getName())
                    .getMethod("open", String.class, String.class).invoke(null, program, target);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(program + " on " + target + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the build has no " + SuiteRunner.class.getName()
                    + " (built before the paired comparison existed?)", e);
        }
    }

    /** The value below which a fraction {@code q} of the values lie; NaN for none. */
    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
    }
}
