package org.ebpf4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.spec.CollectionSpec;
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
 * Load time on the JIT of the largest programs there are: the verifier corpus's test_verifier cases of about a
 * million slots (0458: semi-random 64-bit immediates; 0501: the scale test), split into chunk methods over several
 * classes; and the 240 programs of fixtures/large/large.o loaded by the JVM backend. The interpreter's load (the
 * structural checks the JIT starts with) is the baseline. Verification is not included here:
 * {@link LoadTimeBenchmark} times loads with it, against the kernel. Run from the repository root (or pass
 * {@code -Debpf4j.shared=DIR -Debpf4j.fixtures=DIR}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xms2g")
public class JitLoadBenchmark {
    @Param({"0458", "0501"})
    public String corpusCase;

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    private Instructions program;
    private CollectionSpec large;
    private final HelperRegistry helpers = HelperRegistry.empty();

    @Setup
    public void read() throws IOException {
        Path shared = Path.of(System.getProperty("ebpf4j.shared", "../shared"));
        program = Instructions.decode(Files.readAllBytes(shared.resolve("verifier-corpus").resolve("cases")
                .resolve("test_verifier").resolve(corpusCase).resolve("prog.bin")));
        Path fixtures = Path.of(System.getProperty("ebpf4j.fixtures", "fixtures"));
        large = ObjectLoader.load(fixtures.resolve("large").resolve("large.o"));
    }

    @Benchmark
    public Executable corpusProgram() {
        return engine.prepare(program, helpers, Long.MAX_VALUE);
    }

    @Benchmark
    public Collection largeObject() {
        try (Collection c = new JvmBackend().withEngine(engine).withCpus(1)
                .load(large, LoadOptions.defaults().unverified())) {
            return c;
        }
    }
}
