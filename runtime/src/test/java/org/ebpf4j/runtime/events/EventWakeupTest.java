package org.ebpf4j.runtime.events;

import static org.ebpf4j.runtime.events.EventFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.EventReader;
import org.ebpf4j.api.RingBufferReader;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.RingBufferFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When a waiting reader wakes up, on both backends through the same interface, with the reader waiting on a virtual
 * thread: a ring buffer record wakes it when the reader has read everything before it, unless written with
 * BPF_RB_NO_WAKEUP; BPF_RB_FORCE_WAKEUP always wakes it; every perf sample wakes it. (The waits are the behaviour
 * under test, not a speed measurement: "not woken" is checked by a reader still waiting after 300 ms.)
 */
class EventWakeupTest {
    private static Backend backend(String name) {
        if (name.equals("jvm")) {
            return new JvmBackend();
        }
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        return kernel;
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "linux"})
    void noWakeupRecordsWaitForAForcedWakeup(String name) throws Exception {
        Backend backend = backend(name);
        try (Collection loaded = load(backend, "v3");
             RingBufferReader ring = backend.openRingBuffer(loaded.map("ring"))) {
            List<String> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> waiting = waitOn(ring, seen);
            Thread.sleep(100);
            loaded.program("emit").testRun(packet(OUTPUT, 8, (int) RingBufferFlags.BPF_RB_NO_WAKEUP, 1));
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "a BPF_RB_NO_WAKEUP record woke the reader");
            loaded.program("emit").testRun(packet(SUBMIT, 0, (int) RingBufferFlags.BPF_RB_FORCE_WAKEUP, 2));
            assertEquals(2, waiting.get(10, TimeUnit.SECONDS));
            assertEquals(2, seen.size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "linux"})
    void aRecordWakesAReaderThatReadEverythingBeforeIt(String name) throws Exception {
        Backend backend = backend(name);
        try (Collection loaded = load(backend, "v3");
             RingBufferReader ring = backend.openRingBuffer(loaded.map("ring"))) {
            loaded.program("emit").testRun(packet(OUTPUT, 8, 0, 1));
            assertEquals(1, ring.poll(r -> { }));
            List<String> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> waiting = waitOn(ring, seen);
            Thread.sleep(100);
            loaded.program("emit").testRun(packet(OUTPUT, 16, 0, 2));
            assertEquals(1, waiting.get(10, TimeUnit.SECONDS));
            assertEquals(16, seen.get(0).length() / 2);
            long start = System.nanoTime();
            assertEquals(0, ring.consume(Duration.ofMillis(200), r -> { }), "nothing left: the wait times out");
            assertTrue(System.nanoTime() - start >= 150_000_000L, "consume waited for its timeout");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "linux"})
    void everyPerfSampleWakesTheReader(String name) throws Exception {
        Backend backend = backend(name);
        try (Collection loaded = load(backend, "v3");
             EventReader samples = backend.openPerfBuffer(loaded.map("samples"), 1)) {
            List<String> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> waiting = waitOn(samples, seen);
            Thread.sleep(100);
            loaded.program("emit").testRun(packet(PERF, 12, 0, 1));
            assertEquals(1, waiting.get(10, TimeUnit.SECONDS));
            assertEquals(List.of(hex(java.nio.ByteBuffer.wrap(packet(PERF, 12, 0, 1).data(), 8, 12))), seen);
        }
    }

    /** consume with a long timeout, on a virtual thread. */
    private static CompletableFuture<Integer> waitOn(EventReader reader, List<String> seen) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(reader.consume(Duration.ofSeconds(20), r -> seen.add(hex(r))));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
