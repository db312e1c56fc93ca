package org.ebpf4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.btf.Btf;
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
 * Time to parse the running kernel's BTF ({@code /sys/kernel/btf/vmlinux}, several MB and 100k+ types), which CO-RE
 * needs before relocating anything; {@link #copy} (reading the same bytes into a new array) is the same run's
 * baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BtfParseBenchmark {
    private byte[] vmlinux;

    @Setup
    public void read() throws IOException {
        vmlinux = Files.readAllBytes(Path.of("/sys/kernel/btf/vmlinux"));
    }

    @Benchmark
    public Btf parse() {
        return Btf.parse(vmlinux);
    }

    @Benchmark
    public byte[] copy() {
        return vmlinux.clone();
    }
}
