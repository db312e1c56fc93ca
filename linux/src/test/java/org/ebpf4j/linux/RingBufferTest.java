package org.ebpf4j.linux;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R6;
import static org.ebpf4j.isa.Register.R7;
import static org.ebpf4j.isa.Register.R8;
import static org.ebpf4j.isa.Register.R9;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * {@link LinuxRingBuffer} on records an XDP program writes from {@code BPF_PROG_TEST_RUN}: it reserves 16 bytes,
 * fills both halves with the packet's first eight bytes, and submits the record, or discards it when that value is
 * odd. Records are 24 bytes with their header, so they straddle the end of the 4096-byte ring as it wraps.
 */
class RingBufferTest {
    private static final int RING_SIZE = 4096;

    @Test
    void submittedRecordsArriveInOrderAndDiscardedOnesAreSkipped() {
        try (Collection loaded = KernelTests.backend().load(reserveSubmitOrDiscard());
             LinuxRingBuffer ring = LinuxRingBuffer.open(loaded.map("events"))) {
            for (long value : new long[] {60, 61, 62, 63, 64}) {
                loaded.program("prog").testRun(TestRun.of(packetStarting(value)));
            }
            List<Long> seen = new ArrayList<>();
            assertEquals(3, ring.poll(record -> seen.add(read(record))));
            assertEquals(List.of(60L, 62L, 64L), seen);
            assertEquals(0, ring.poll(record -> seen.add(read(record))), "everything was consumed");
        }
    }

    @Test
    void theRingWrapsManyTimesWithoutLosingOrTearingRecords() {
        try (Collection loaded = KernelTests.backend().load(reserveSubmitOrDiscard());
             LinuxRingBuffer ring = LinuxRingBuffer.open(loaded.map("events"))) {
            List<Long> seen = new ArrayList<>();
            long next = 0;
            // 40 rounds of 100 records of 24 bytes: 96,000 bytes through a 4096-byte ring.
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 100; i++) {
                    loaded.program("prog").testRun(TestRun.of(packetStarting(2 * next++)));
                }
                ring.poll(record -> seen.add(read(record)));
            }
            assertEquals(4000, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(2L * i, seen.get(i));
            }
        }
    }

    @Test
    void consumeWaitsForARecordAndTimesOutWithoutOne() throws Exception {
        try (Collection loaded = KernelTests.backend().load(reserveSubmitOrDiscard());
             LinuxRingBuffer ring = LinuxRingBuffer.open(loaded.map("events"))) {
            long start = System.nanoTime();
            assertEquals(0, ring.consume(Duration.ofMillis(200), record -> { }));
            assertTrue(System.nanoTime() - start >= 150_000_000L, "consume waited for the timeout");

            List<Long> seen = new ArrayList<>();
            CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(
                    () -> ring.consume(Duration.ofSeconds(10), record -> seen.add(read(record))));
            Thread.sleep(100);
            loaded.program("prog").testRun(TestRun.of(packetStarting(42)));
            assertEquals(1, waiting.get());
            assertEquals(List.of(42L), seen);
        }
    }

    @Test
    void onlyKernelRingBuffersCanBeRead() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.XDP, Optional.empty(),
                b -> { }, 2, 2))) {
            assertThrows(IllegalArgumentException.class, () -> LinuxRingBuffer.open(loaded.map("counts")));
        }
    }

    /** Both halves of a record, which the program wrote equal: a torn read would show two values. */
    private static long read(ByteBuffer record) {
        assertEquals(16, record.remaining());
        long value = record.getLong(0);
        assertEquals(value, record.getLong(8));
        return value;
    }

    private static byte[] packetStarting(long value) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array();
    }

    private static CollectionSpec reserveSubmitOrDiscard() {
        Instructions code = new ProgramBuilder()
                .mov64(R6, R1)
                .ldx(Size.W, R7, R6, 0) // xdp_md.data
                .ldx(Size.W, R8, R6, 4) // xdp_md.data_end
                .mov64(R2, R7)
                .alu64(AluOp.ADD, R2, 8)
                .jump(JumpOp.JGT, R2, R8, "out")
                .ldx(Size.DW, R9, R7, 0)
                .lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 0)
                .mov64(R2, 16)
                .mov64(R3, 0)
                .call(HelperFunction.RINGBUF_RESERVE.value())
                .jump(JumpOp.JEQ, R0, 0, "out")
                .stx(Size.DW, R0, 0, R9)
                .stx(Size.DW, R0, 8, R9)
                .mov64(R1, R0)
                .mov64(R2, 0)
                .jump(JumpOp.JSET, R9, 1, "discard")
                .call(HelperFunction.RINGBUF_SUBMIT.value())
                .ja("out")
                .label("discard")
                .call(HelperFunction.RINGBUF_DISCARD.value())
                .label("out")
                .mov64(R0, 2) // XDP_PASS
                .exit()
                .build();
        return BuiltPrograms.collection(ProgramType.XDP, Optional.empty(), code,
                BuiltPrograms.map("events", MapType.RINGBUF, 0, 0, RING_SIZE));
    }
}
