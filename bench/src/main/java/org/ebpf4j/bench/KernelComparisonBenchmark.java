package org.ebpf4j.bench;

import java.util.concurrent.TimeUnit;
import org.ebpf4j.api.TestRunResult;
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
 * Nanoseconds per run of the same clang-compiled XDP programs (bench/src/main/c: one that only returns, integer
 * kernels, a packet parser, a hash-map counter, a chain of tail calls) on ebpf4j's interpreter, on ebpf4j's JIT, and
 * in the running kernel (its JIT, through {@code BPF_PROG_TEST_RUN}), all through
 * {@link org.ebpf4j.api.Program#testRun} on the same 1024-byte UDP frame ({@link SuiteRunner}).
 *
 * <p>Each benchmark call is one {@code testRun} with {@code repeat} {@value SuiteRunner#REPEAT}, so the score (ns/op)
 * is the time per run seen from Java, with the call's fixed cost spread over the repeats: on the JVM the packet
 * copy, in the kernel the {@code bpf()} syscall and, for XDP with {@code repeat > 1}, two updates of the XDP dispatcher
 * ({@code bpf_prog_change_xdp}), which wait for RCU and cost milliseconds, so the kernel's score is mostly that.
 * The figure to compare is the line {@code reported ns/run} that {@link ReportedDuration} prints at the end of each
 * trial: what each run reports itself, the kernel's own {@code duration} and on the JVM the same loop timed the same
 * way ({@code JvmProgram.testRun}: the program and the per-run reset of its frame, no packet copy).
 *
 * <p>The JVM side compiles without constant blinding, as the kernel does for root by default
 * ({@code net.core.bpf_jit_harden=0}), and verifies every program with ebpf4j's verifier (so the JIT uses its
 * access facts). The kernel target needs {@code bpf()}
 * (root); where it is not permitted its setup fails with the reason and JMH goes on with the other targets.
 *
 * <pre>{@code
 * mvn -B -ntp -q -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar KernelComparisonBenchmark \
 *     -f 1 -wi 3 -w 1s -i 3 -r 1s
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "--enable-native-access=ALL-UNNAMED"})
public class KernelComparisonBenchmark {
    @Param({"constant", "log2_loop", "sieve", "xorshift", "crc32", "switch_dispatch", "strcmp_loop", "copy_loop",
        "parser", "counter", "tail_chain"})
    public String program;

    @Param({"INTERPRETER", "JIT", "KERNEL"})
    public SuiteTarget target;

    private SuiteRunner runner;

    @Setup(Level.Trial)
    public void load() {
        runner = SuiteRunner.open(program, target);
    }

    @TearDown(Level.Trial)
    public void close() {
        runner.close();
    }

    @Benchmark
    @OperationsPerInvocation(SuiteRunner.REPEAT)
    public long testRun(ReportedDuration reported) {
        TestRunResult result = runner.run();
        reported.add(result.nanosPerRun());
        return result.returnValue();
    }
}
