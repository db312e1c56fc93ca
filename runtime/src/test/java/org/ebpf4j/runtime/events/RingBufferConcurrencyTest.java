package org.ebpf4j.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.RingBufferReader;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * events.c's {@code produce} on several platform threads at once (half its records by bpf_ringbuf_output, half by
 * reserve and submit) into a 4096-byte ring that a consumer on a virtual thread drains with {@code consume}: every
 * record arrives once, whole, and each producer's records arrive in the order it wrote them. Producers retry a
 * record the full ring refused (XDP_DROP), so none is lost.
 */
class RingBufferConcurrencyTest {
    private static final int PRODUCERS = 4;
    private static final int RECORDS_EACH = 10_000;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void recordsFromManyThreadsArriveOnceWholeAndInOrder(Engine engine) throws Exception {
        JvmBackend jvm = new JvmBackend().withEngine(engine);
        try (Collection loaded = EventFixture.load(jvm, "v3");
             RingBufferReader ring = jvm.openRingBuffer(loaded.map("ring"))) {
            Program produce = loaded.program("produce");
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong full = new AtomicLong();
            long[] next = new long[PRODUCERS];
            List<String> problems = new ArrayList<>();
            Thread consumer = Thread.ofVirtual().start(() -> {
                int seen = 0;
                while (seen < PRODUCERS * RECORDS_EACH) {
                    seen += ring.consume(Duration.ofSeconds(5), record -> check(record, next, problems));
                    if (!producing.get() && seen < PRODUCERS * RECORDS_EACH && ring.poll(r -> { }) == 0) {
                        break;
                    }
                }
            });
            try (ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS)) {
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    long producer = p;
                    done.add(producers.submit(() -> {
                        for (long seq = 0; seq < RECORDS_EACH; seq++) {
                            TestRun run = TestRun.of(packet(producer << 32 | seq));
                            while (produce.testRun(run).returnValue() != 2) {
                                full.incrementAndGet();
                                Thread.onSpinWait();
                            }
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            producing.set(false);
            consumer.join(Duration.ofSeconds(60));
            assertEquals(List.of(), problems);
            for (int p = 0; p < PRODUCERS; p++) {
                assertEquals(RECORDS_EACH, next[p], "records of producer " + p);
            }
            assertTrue(full.get() > 0, "the ring filled up at times, so producers waited for the consumer");
        }
    }

    /** Both halves equal (not torn), and the producer's next sequence number (none lost, none twice). */
    private static void check(ByteBuffer record, long[] next, List<String> problems) {
        if (record.remaining() != 16 || record.getLong(0) != record.getLong(8)) {
            problems.add("torn record " + EventFixture.hex(record));
            return;
        }
        long value = record.getLong(0);
        int producer = (int) (value >>> 32);
        long seq = value & 0xffff_ffffL;
        if (producer >= next.length || seq != next[producer]) {
            problems.add("producer " + producer + ": record " + seq + " where " + next[producer] + " was due");
            return;
        }
        next[producer]++;
    }

    private static byte[] packet(long value) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value).array();
    }
}
