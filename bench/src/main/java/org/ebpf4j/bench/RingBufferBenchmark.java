package org.ebpf4j.bench;

import static org.ebpf4j.isa.Opcode.PSEUDO_MAP_FD;
import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R10;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R6;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.EventHelpers;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.maps.JvmMaps;
import org.ebpf4j.runtime.maps.JvmRingBufferReader;
import org.ebpf4j.runtime.maps.MapTable;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
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
 * Nanoseconds per 16-byte record through a JVM ring buffer, on one thread: {@link #BATCH} program runs that write a
 * record each ({@code bpf_ringbuf_output} of a stack buffer, or {@code bpf_ringbuf_reserve} + stores +
 * {@code bpf_ringbuf_submit}), then one {@code poll} that reads them all.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class RingBufferBenchmark {
    static final int BATCH = 100;

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    private JvmMap ring;
    private JvmRingBufferReader reader;
    private Executable output;
    private Executable reserveSubmit;
    private final Invocation invocation = new Invocation();
    private long sink;

    @Setup(Level.Trial)
    public void setUp() {
        ring = JvmMaps.create(new MapSpec("bench_ring", MapType.RINGBUF, 0, 0, 1 << 16, 0, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.BTF), 1);
        reader = JvmRingBufferReader.open(ring);
        HelperRegistry helpers = EventHelpers.register(HelperRegistry.empty());
        MapResolver maps = MapTable.byIndex(List.of(ring));
        output = engine.prepare(new ProgramBuilder()
                .stx(Size.DW, R10, -16, R1)
                .stx(Size.DW, R10, -8, R1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, R10).alu64(AluOp.ADD, R2, -16)
                .mov64(R3, 16)
                .mov64(R4, 0)
                .call(HelperFunction.RINGBUF_OUTPUT.value())
                .exit()
                .build(), helpers, Long.MAX_VALUE, maps);
        reserveSubmit = engine.prepare(new ProgramBuilder()
                .mov64(R6, R1)
                .lddwPseudo(R1, PSEUDO_MAP_FD, 0)
                .mov64(R2, 16)
                .mov64(R3, 0)
                .call(HelperFunction.RINGBUF_RESERVE.value())
                .jump(JumpOp.JEQ, R0, 0, "out")
                .stx(Size.DW, R0, 0, R6)
                .stx(Size.DW, R0, 8, R6)
                .mov64(R1, R0)
                .mov64(R2, 0)
                .call(HelperFunction.RINGBUF_SUBMIT.value())
                .label("out")
                .exit()
                .build(), helpers, Long.MAX_VALUE, maps);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reader.close();
        ring.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long output() {
        return batch(output);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long reserveSubmit() {
        return batch(reserveSubmit);
    }

    private long batch(Executable program) {
        for (int i = 0; i < BATCH; i++) {
            program.run(invocation, i, 0, 0, 0, 0);
        }
        return reader.poll(record -> sink += record.getLong(0));
    }
}
