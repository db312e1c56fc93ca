package org.ebpf4j.isa.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.junit.jupiter.api.Test;

/**
 * Every program of the Linux verifier corpus (test_verifier tables and clang-compiled selftests, some of them
 * deliberately malformed) that decodes at all prints losslessly and assembles back to the same instructions.
 */
class VerifierCorpusRoundTripTest {
    /**
     * The few programs above this size (up to a million instructions) are the kernel tests' generated fillers,
     * the same few instructions repeated; leaving them out keeps the test at a second or two.
     */
    private static final long MAX_BYTES = 64 * 1024 * 8;

    @Test
    void everyDecodableCorpusProgramRoundTrips() throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        List<Path> programs;
        try (Stream<Path> files = Files.walk(corpus.get().resolve("cases"))) {
            programs = files.filter(p -> p.getFileName().toString().equals("prog.bin"))
                    .filter(p -> p.toFile().length() <= MAX_BYTES)
                    .sorted().toList();
        }
        assertTrue(programs.size() > 1000, "expected the whole corpus, found " + programs.size());
        int decoded = 0;
        for (Path file : programs) {
            Instructions program;
            try {
                program = Instructions.decode(Files.readAllBytes(file));
            } catch (InvalidProgramException malformedOnPurpose) {
                continue;
            }
            decoded++;
            String text = Disassembler.lossless().disassemble(program);
            assertEquals(program, Assembler.assemble(text), file.toString());
        }
        assertTrue(decoded > programs.size() * 9 / 10, decoded + " of " + programs.size() + " decoded");
    }
}
