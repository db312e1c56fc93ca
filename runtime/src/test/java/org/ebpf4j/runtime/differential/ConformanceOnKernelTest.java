package org.ebpf4j.runtime.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.conformance.ConformanceSuite;
import org.ebpf4j.isa.conformance.ConformanceVector;
import org.ebpf4j.runtime.differential.BothBackends.Observation;
import org.ebpf4j.spec.CollectionSpec;
import org.junit.jupiter.api.Test;

/**
 * The RFC 9669 conformance vectors wrapped as XDP programs (see {@link ConformanceAsXdp}) on the kernel and on the
 * JVM backend. Where the kernel's verifier accepts a vector, both must produce the vector's expected r0 and the
 * same map contents; the vectors it refuses (uninitialised registers, helper 5 being the suite's identity helper,
 * ...) are counted, not compared.
 */
class ConformanceOnKernelTest {
    @Test
    void everyVectorTheKernelRunsGivesTheSameResultOnTheJvm() {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends.skipReason());
        Path suite = ConformanceSuite.locate(Path.of("").toAbsolutePath()).orElseThrow();
        List<ConformanceVector> vectors = ConformanceSuite.readTsv(suite.resolve("conformance_corpus.tsv"));
        List<String> differences = new ArrayList<>();
        int compared = 0;
        List<String> refused = new ArrayList<>();
        for (ConformanceVector vector : vectors) {
            if (vector.expectsError()) {
                continue;
            }
            CollectionSpec spec = ConformanceAsXdp.wrap(vector);
            TestRun run = TestRun.of(ConformanceAsXdp.packet(vector));
            Observation kernel = BothBackends.onKernel(spec, ConformanceAsXdp.PROGRAM, run, LoadOptions.defaults());
            if (!kernel.loaded()) {
                refused.add(vector.name() + " (" + kernel.load() + ")");
                continue;
            }
            compared++;
            Observation jvm = BothBackends.onJvm(spec, ConformanceAsXdp.PROGRAM, run, LoadOptions.defaults());
            String expected = String.format("%016x", Long.reverseBytes(vector.expectedR0()));
            Map<String, String> result = kernel.maps().get(ConformanceAsXdp.RESULT_MAP);
            if (!result.get("00000000").equals(expected)) {
                differences.add(vector.name() + ": the kernel's r0 " + result + " is not the vector's " + expected);
            }
            if (!kernel.equals(jvm)) {
                differences.add(vector.name() + ": kernel " + kernel + "\n    jvm " + jvm);
            }
        }
        System.out.printf("conformance on the kernel: %d compared, %d refused by the kernel's verifier:%n  %s%n",
                compared, refused.size(), String.join("\n  ", refused));
        assertEquals(List.of(), differences);
        assertTrue(compared > vectors.size() / 2, "only " + compared + " vectors ran on the kernel");
    }
}
