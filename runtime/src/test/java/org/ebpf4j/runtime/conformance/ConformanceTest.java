package org.ebpf4j.runtime.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.isa.conformance.ConformanceSuite;
import org.ebpf4j.runtime.Engine;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The 313 RFC 9669 conformance vectors, one test each, on every engine, and on the JIT with constant blinding. */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyVectorPassesOnEveryEngine() {
        Optional<Path> suite = ConformanceSuite.locate(Path.of("").toAbsolutePath());
        assumeTrue(suite.isPresent(), "shared/conformance not found next to the project: conformance vectors skipped");
        var vectors = ConformanceSuite.readTsv(suite.get().resolve("conformance_corpus.tsv"));
        assertTrue(vectors.size() >= 313, "expected the full suite, found " + vectors.size());
        var runners = new java.util.LinkedHashMap<String, ConformanceRunner>();
        for (Engine engine : Engine.values()) {
            runners.put(engine.name().toLowerCase(), new ConformanceRunner(engine));
        }
        runners.put("jit, blinded", new ConformanceRunner(Engine.JIT, true));
        return runners.entrySet().stream().flatMap(entry -> {
            var runner = entry.getValue();
            return vectors.stream().map(vector -> DynamicTest.dynamicTest(
                    entry.getKey() + ": " + vector.name(), () -> {
                        var outcome = runner.run(vector);
                        assertTrue(outcome.passed(), vector.name() + ": " + outcome.detail());
                    }));
        });
    }
}
