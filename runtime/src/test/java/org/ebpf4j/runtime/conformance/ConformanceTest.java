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

/** The 313 RFC 9669 conformance vectors, one test each, on every engine. */
class ConformanceTest {

    @TestFactory
    Stream<DynamicTest> everyVectorPassesOnEveryEngine() {
        Optional<Path> suite = ConformanceSuite.locate(Path.of("").toAbsolutePath());
        assumeTrue(suite.isPresent(), "shared/conformance not found next to the project: conformance vectors skipped");
        var vectors = ConformanceSuite.readTsv(suite.get().resolve("conformance_corpus.tsv"));
        assertTrue(vectors.size() >= 313, "expected the full suite, found " + vectors.size());
        return Stream.of(Engine.values()).flatMap(engine -> {
            var runner = new ConformanceRunner(engine);
            return vectors.stream().map(vector -> DynamicTest.dynamicTest(
                    engine.name().toLowerCase() + ": " + vector.name(), () -> {
                        var outcome = runner.run(vector);
                        assertTrue(outcome.passed(), vector.name() + ": " + outcome.detail());
                    }));
        });
    }
}
