package org.ebpf4j.isa.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ebpf4j.isa.text.ubpf.UbpfAssembler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code .data} vector, assembled by our assembler (or taken from its raw section), must give exactly the
 * bytes, memory and result that the reference toolchain wrote into {@code conformance_corpus.tsv}.
 */
class ConformanceCorpusTest {
    private static final int VECTOR_COUNT = 313;

    private static Path conformance;

    @BeforeAll
    static void locateVectors() {
        Optional<Path> found = ConformanceSuite.locate(Path.of(""));
        assumeTrue(found.isPresent(), "no shared/conformance directory beside " + Path.of("").toAbsolutePath()
                + " or any parent: the RFC 9669 vectors are not on this machine");
        conformance = found.get();
    }

    private static Map<String, ConformanceVector> corpus() {
        return ConformanceSuite.readTsv(conformance.resolve("conformance_corpus.tsv")).stream()
                .collect(Collectors.toMap(ConformanceVector::name, Function.identity()));
    }

    @Test
    void dataFilesAndCorpusNameTheSameVectors() {
        List<ConformanceVector> files = ConformanceSuite.readDirectory(conformance.resolve("tests"));
        assertEquals(VECTOR_COUNT, files.size());
        assertEquals(corpus().keySet(), files.stream().map(ConformanceVector::name).collect(Collectors.toSet()));
    }

    @TestFactory
    Stream<DynamicTest> eachDataFileMatchesTheCorpus() {
        Map<String, ConformanceVector> corpus = corpus();
        return ConformanceSuite.readDirectory(conformance.resolve("tests")).stream()
                .map(vector -> DynamicTest.dynamicTest(vector.name(), () -> {
                    ConformanceVector expected = corpus.get(vector.name());
                    assertNotNull(expected, "not in the corpus");
                    assertEquals(expected.programHex(), vector.programHex(), "program bytes");
                    assertEquals(expected.memoryHex(), vector.memoryHex(), "memory");
                    assertEquals(expected.expectedR0(), vector.expectedR0(), "expected r0");
                    // Every program of the suite is meant to decode; a vector that does not should say so.
                    assertEquals(expected.instructions(), vector.instructions());
                }));
    }

    /** Where a file has both, its raw section and its assembly must agree (the raw one is what runs). */
    @TestFactory
    Stream<DynamicTest> rawSectionsAgreeWithTheirAssembly() {
        return ConformanceSuite.readDirectory(conformance.resolve("tests")).stream()
                .filter(v -> v.source() == ProgramSource.RAW && v.assembly().isPresent())
                .map(vector -> DynamicTest.dynamicTest(vector.name(), () -> assertEquals(vector.programHex(),
                        java.util.HexFormat.of().formatHex(UbpfAssembler.assembleToBytes(vector.assembly().get())))));
    }
}
