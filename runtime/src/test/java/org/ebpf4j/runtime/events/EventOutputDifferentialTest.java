package org.ebpf4j.runtime.events;

import static org.ebpf4j.runtime.events.EventFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.PerfBufferReader;
import org.ebpf4j.api.RingBufferReader;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fixtures/src/events.c on the JVM backend (both engines) and in the kernel, through the same reader interfaces
 * opened the same way ({@link Backend#openRingBuffer}, {@link Backend#openPerfBuffer}): the same records in the
 * same order, the same helper answers (EAGAIN and NULL on a full ring included) and the same
 * {@code bpf_ringbuf_query} values after every run.
 */
class EventOutputDifferentialTest {
    static List<Arguments> engines() {
        List<Arguments> all = new ArrayList<>();
        for (Engine engine : Engine.values()) {
            for (String level : List.of("v1", "v3", "v4")) {
                all.add(Arguments.of(engine, level));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void ringBufferRecordsAnswersAndPositionsAreTheKernels(Engine engine, String level) {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        Backend jvm = new JvmBackend().withEngine(engine);
        try (Collection onKernel = load(kernel, level);
             Collection onJvm = load(jvm, level);
             RingBufferReader kernelRing = kernel.openRingBuffer(onKernel.map("ring"));
             RingBufferReader jvmRing = jvm.openRingBuffer(onJvm.map("ring"))) {
            Random random = new Random(level.hashCode() + engine.ordinal());
            int[] kinds = {OUTPUT, OUTPUT, OUTPUT, SUBMIT, SUBMIT, DISCARD, BAD_RESERVE, LARGE};
            int full = 0;
            int records = 0;
            int untilPoll = 1 + random.nextInt(120);
            for (int step = 0; step < 1500; step++) {
                TestRun run = packet(kinds[random.nextInt(kinds.length)], random.nextInt(64), random.nextInt(4),
                        step);
                String what = "step " + step;
                TestRunResult expected = onKernel.program("emit").testRun(run);
                TestRunResult actual = onJvm.program("emit").testRun(run);
                assertEquals(expected.returnValue(), actual.returnValue(), what + ": return value");
                List<Long> answers = results(onKernel);
                assertEquals(answers, results(onJvm), what + ": helper answer and ring queries");
                if (answers.get(0) < 0) {
                    full++;
                }
                if (--untilPoll == 0) {
                    List<String> fromKernel = new ArrayList<>();
                    List<String> fromJvm = new ArrayList<>();
                    kernelRing.poll(r -> fromKernel.add(hex(r)));
                    jvmRing.poll(r -> fromJvm.add(hex(r)));
                    assertEquals(fromKernel, fromJvm, what + ": records");
                    records += fromKernel.size();
                    untilPoll = 1 + random.nextInt(120);
                }
            }
            assertTrue(full > 50, "the ring was full " + full + " times");
            assertTrue(records > 300, records + " records compared");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("engines")
    void perfEventOutputWritesTheKernelsSamples(Engine engine, String level) {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        Backend jvm = new JvmBackend().withEngine(engine);
        try (Collection onKernel = load(kernel, level);
             Collection onJvm = load(jvm, level);
             PerfBufferReader kernelSamples = kernel.openPerfBuffer(onKernel.map("samples"), 2);
             PerfBufferReader jvmSamples = jvm.openPerfBuffer(onJvm.map("samples"), 2)) {
            Random random = new Random(level.hashCode() + engine.ordinal());
            int efaults = 0;
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < 10; i++) {
                    int kind = switch (random.nextInt(8)) {
                        case 0 -> PERF_BAD_INDEX;
                        case 1, 2 -> PERF_PACKET;
                        default -> PERF;
                    };
                    // Sizes of 8n + 4 (and packet bytes of 8n) need no padding: the kernel skips the padding of a
                    // sample, which then shows what that CPU's buffer held before, and its CPU changes from run to
                    // run. 72 packet bytes are more than the 64-byte packet has: EFAULT.
                    TestRun run = packet(kind, 8 * random.nextInt(7) + 4, 0, 8 * random.nextInt(10),
                            round * 10L + i);
                    assertEquals(onKernel.program("emit").testRun(run).returnValue(),
                            onJvm.program("emit").testRun(run).returnValue());
                    assertEquals(results(onKernel).get(0), results(onJvm).get(0), "helper answer");
                    efaults += results(onKernel).get(0) == org.ebpf4j.spec.Errno.EFAULT.negated() ? 1 : 0;
                }
                // The kernel runs each test on whichever CPU the thread is on, and a reader drains CPU by CPU:
                // samples compare as sets, each carrying its sequence number.
                List<String> fromKernel = new ArrayList<>();
                List<String> fromJvm = new ArrayList<>();
                kernelSamples.poll(r -> fromKernel.add(hex(r)));
                jvmSamples.poll(r -> fromJvm.add(hex(r)));
                assertEquals(fromKernel.stream().sorted().toList(), fromJvm.stream().sorted().toList());
            }
            assertEquals(kernelSamples.lost(), jvmSamples.lost());
            assertTrue(efaults > 0, "some runs asked for more packet than there is");
        }
    }
}
