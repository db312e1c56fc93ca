package org.ebpf4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.verifier.corpus.CorpusCase;
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
 * Load time, verification included, of the largest verifier corpus programs that both Linux and ebpf4j accept:
 * test_verifier 0458 (999,998 slots of 64-bit immediates xored together, which the kernel walks in 666,667 steps)
 * and 0372 (the largest by the kernel's state count that both accept, see {@link VerificationBenchmark}). One load is
 * what {@code Backend.load} does with the case's bytes: on the JVM ebpf4j's verifier (log level 0) and then the
 * engine's preparation (the interpreter's structural checks, or the JIT's bytecode generation and class definition;
 * C2 compiles later, on use); in the kernel {@code BPF_PROG_LOAD}, its verifier and its JIT. The kernel target needs
 * {@code bpf()}; where it is not permitted its setup fails with the reason and JMH goes on with the other targets.
 * {@link JitLoadBenchmark} times the JIT's part alone, on the million-slot cases too. The scale tests are not here:
 * ebpf4j's verifier stops 0502 at the million-step limit (a false reject the corpus does not count, its recorded
 * bytes-only verdict being a log overflow), and 0501, which it verifies since it prunes where the kernel does, has
 * not been measured yet. Steady state (the verifier and the JIT compiled by C2): loads
 * repeat for 2 s per iteration.
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED -jar bench/target/benchmarks.jar LoadTimeBenchmark
 * }</pre>
 * Run from the repository root, or pass {@code -Debpf4j.shared=DIR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "--enable-native-access=ALL-UNNAMED"})
public class LoadTimeBenchmark {
    @Param({"0458", "0372"})
    public String corpusCase;

    @Param({"INTERPRETER", "JIT", "KERNEL"})
    public SuiteTarget target;

    private CollectionSpec program;
    private Backend backend;
    private LoadOptions options;

    @Setup
    public void read() throws IOException {
        Path cases = Path.of(System.getProperty("ebpf4j.shared", "../shared")).resolve("verifier-corpus")
                .resolve("cases");
        program = CorpusCase.read(cases, cases.resolve("test_verifier").resolve(corpusCase)).asCollection();
        backend = target.open();
        options = target.options();
    }

    @Benchmark
    public Collection load() {
        try (Collection loaded = backend.load(program, options)) {
            return loaded;
        }
    }
}
