package org.ebpf4j.linux;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R5;
import static org.ebpf4j.isa.Register.R6;
import static org.ebpf4j.isa.Register.R7;
import static org.ebpf4j.isa.Register.R10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.HelperFlags;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * {@link LinuxPerfBuffer} on samples an XDP program writes from {@code BPF_PROG_TEST_RUN} with
 * {@code bpf_perf_event_output(ctx, events, BPF_F_CURRENT_CPU, &value, 8)}, {@code value} being the packet's first
 * eight bytes. A sample record is 24 bytes (header, size, 8 bytes, 4 of padding), so records wrap around the end
 * of a one-page ring.
 */
class PerfBufferTest {
    @Test
    void samplesArriveWithTheProgramsBytes() {
        try (Collection loaded = KernelTests.backend().load(output());
             LinuxPerfBuffer buffer = LinuxPerfBuffer.open(loaded.map("events"), 1)) {
            assertFalse(buffer.cpus().isEmpty());
            for (long value : new long[] {7, 8, 9}) {
                loaded.program("prog").testRun(TestRun.of(packetStarting(value)));
            }
            List<Long> seen = new ArrayList<>();
            assertEquals(3, buffer.poll(sample -> seen.add(read(sample))));
            assertEquals(List.of(7L, 8L, 9L), seen.stream().sorted().toList());
            assertEquals(0, buffer.lost());
        }
    }

    @Test
    void recordsWrappingTheRingArriveWhole() {
        try (Collection loaded = KernelTests.backend().load(output());
             LinuxPerfBuffer buffer = LinuxPerfBuffer.open(loaded.map("events"), 1)) {
            List<Long> seen = new ArrayList<>();
            long next = 0;
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 100; i++) {
                    loaded.program("prog").testRun(TestRun.of(packetStarting(next++)));
                }
                buffer.poll(sample -> seen.add(read(sample)));
            }
            assertEquals(2000, seen.size());
            assertEquals(next * (next - 1) / 2, seen.stream().mapToLong(Long::longValue).sum());
            assertEquals(0, buffer.lost());
        }
    }

    @Test
    void aFullRingCountsLostSamples() {
        // The LOST record waits in the buffer of the CPU that lost: the next sample must run there too.
        try (ThreadPinning pinned = ThreadPinning.toCurrentCpu();
             Collection loaded = KernelTests.backend().load(output());
             LinuxPerfBuffer buffer = LinuxPerfBuffer.open(loaded.map("events"), 1)) {
            // 400 records of 24 bytes into 4096 bytes, unread: most cannot be written.
            loaded.program("prog").testRun(TestRun.of(packetStarting(1)).repeat(400));
            int received = buffer.poll(sample -> { });
            // The kernel writes its LOST record once there is room again: after the poll, at the next sample.
            loaded.program("prog").testRun(TestRun.of(packetStarting(2)));
            received += buffer.poll(sample -> { });
            assertTrue(buffer.lost() > 0, "lost " + buffer.lost());
            assertEquals(401, received + buffer.lost());
        }
    }

    @Test
    void consumeWaitsForASample() throws Exception {
        try (Collection loaded = KernelTests.backend().load(output());
             LinuxPerfBuffer buffer = LinuxPerfBuffer.open(loaded.map("events"), 1)) {
            assertEquals(0, buffer.consume(Duration.ofMillis(100), sample -> { }));
            List<Long> seen = new ArrayList<>();
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
                    () -> buffer.consume(Duration.ofSeconds(10), sample -> seen.add(read(sample))));
            Thread.sleep(100);
            loaded.program("prog").testRun(TestRun.of(packetStarting(5)));
            assertEquals(1, waiting.get());
            assertEquals(List.of(5L), seen);
        }
    }

    private static long read(ByteBuffer sample) {
        assertTrue(sample.remaining() >= 8, "sample of " + sample.remaining() + " bytes");
        return sample.getLong(0);
    }

    private static byte[] packetStarting(long value) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array();
    }

    private static CollectionSpec output() {
        Instructions code = new ProgramBuilder()
                .mov64(R6, R1)
                .ldx(Size.W, R7, R6, 0) // xdp_md.data
                .ldx(Size.W, R2, R6, 4) // xdp_md.data_end
                .mov64(R3, R7)
                .alu64(AluOp.ADD, R3, 8)
                .jump(JumpOp.JGT, R3, R2, "out")
                .ldx(Size.DW, R3, R7, 0)
                .stx(Size.DW, R10, -8, R3)
                .mov64(R1, R6)
                .lddwPseudo(R2, Opcode.PSEUDO_MAP_FD, 0)
                .lddw(R3, HelperFlags.BPF_F_CURRENT_CPU)
                .mov64(R4, R10)
                .alu64(AluOp.ADD, R4, -8)
                .mov64(R5, 8)
                .call(HelperFunction.PERF_EVENT_OUTPUT.value())
                .label("out")
                .mov64(R0, 2) // XDP_PASS
                .exit()
                .build();
        return BuiltPrograms.collection(ProgramType.XDP, Optional.empty(), code,
                BuiltPrograms.map("events", MapType.PERF_EVENT_ARRAY, 4, 4, RunningKernel.possibleCpus()));
    }
}
