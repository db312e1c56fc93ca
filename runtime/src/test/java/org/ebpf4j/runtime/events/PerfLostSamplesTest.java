package org.ebpf4j.runtime.events;

import static org.ebpf4j.runtime.events.EventFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.PerfBufferReader;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.Errno;
import org.junit.jupiter.api.Test;

/**
 * A full JVM perf buffer as perf's ring buffer behaves (kernel/events/ring_buffer.c): a sample that does not fit is
 * refused with ENOSPC and counted; the count reaches the reader as a PERF_RECORD_LOST record written just before
 * the next sample that fits. (The kernel's own buffer is compared in EventOutputDifferentialTest; its lost counts
 * depend on which CPU each test run lands on, so they are checked here, where the CPU is fixed.)
 */
class PerfLostSamplesTest {
    @Test
    void samplesThatDoNotFitAreCountedAndReportedBeforeTheNextOne() {
        JvmBackend jvm = new JvmBackend().withCpus(1);
        try (Collection loaded = load(jvm, "v3");
             PerfBufferReader samples = jvm.openPerfBuffer(loaded.map("samples"), 1)) {
            // Records of 8 + 4 + 52 bytes: 63 fill 4032 of the 4095 usable bytes, the 64th needs 4096.
            List<Long> answers = new ArrayList<>();
            for (int i = 0; i < 66; i++) {
                loaded.program("emit").testRun(packet(PERF, 52, 0, i));
                answers.add(results(loaded).get(0));
            }
            assertEquals(List.of(0L), answers.subList(0, 63).stream().distinct().toList());
            assertEquals(List.of(Errno.ENOSPC.negated()), answers.subList(63, 66).stream().distinct().toList());
            List<String> seen = new ArrayList<>();
            assertEquals(63, samples.poll(r -> seen.add(hex(r))));
            assertEquals(0, samples.lost(), "the lost record comes with the next sample that fits");
            loaded.program("emit").testRun(packet(PERF, 52, 0, 99));
            assertEquals(1, samples.poll(r -> seen.add(hex(r))));
            assertEquals(3, samples.lost());
            assertEquals(hex(java.nio.ByteBuffer.wrap(packet(PERF, 52, 0, 99).data(), 8, 52)), seen.get(63));
            assertEquals(List.of(0), samples.cpus());
        }
    }
}
