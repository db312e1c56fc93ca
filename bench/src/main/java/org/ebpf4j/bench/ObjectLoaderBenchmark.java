package org.ebpf4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.elf.ElfFile;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to turn a 1 MB clang object (fixtures/large/large.o: 240 programs, 42 maps, BTF and debug info) into a
 * CollectionSpec, warm; {@link #readElfOnly} is the baseline of the same run (parsing the ELF structure alone).
 * Run from the repository root, or pass {@code -Debpf4j.fixtures=DIR}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ObjectLoaderBenchmark {
    private byte[] object;

    @Setup
    public void read() throws IOException {
        Path fixtures = Path.of(System.getProperty("ebpf4j.fixtures", "fixtures"));
        object = Files.readAllBytes(fixtures.resolve("large").resolve("large.o"));
    }

    @Benchmark
    public CollectionSpec load() {
        return ObjectLoader.load("large.o", object);
    }

    @Benchmark
    public ElfFile readElfOnly() {
        return ElfFile.read("large.o", object);
    }
}
