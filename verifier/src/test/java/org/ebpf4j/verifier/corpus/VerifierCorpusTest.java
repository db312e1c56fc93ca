package org.ebpf4j.verifier.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.verifier.corpus.CorpusReport.Kind;
import org.junit.jupiter.api.Test;

/**
 * The verifier against the Linux 6.18 verifier's verdicts on the whole corpus. Fails on any false accept (a
 * program the kernel rejects and ebpf4j accepts: a safety bug) and on any crash; prints the agreement table and
 * writes it to {@code target/verifier-corpus-report.txt}.
 */
class VerifierCorpusTest {
    /** Agreements (accepts plus rejects) reached so far: raise it as the verifier learns, never lower it. */
    private static final int AGREEMENT_BASELINE = 1072;

    @Test
    void acceptsNothingTheKernelRejects() throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        CorpusReport report = CorpusReport.verify(CorpusCase.readAll(corpus.get().resolve("cases")));
        String text = report.render();
        System.out.println(text);
        Path out = Path.of("target", "verifier-corpus-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        assertTrue(report.of(Kind.CRASH).isEmpty(), "crashes: " + report.of(Kind.CRASH));
        assertTrue(report.of(Kind.FALSE_ACCEPT).isEmpty(), "false accepts: " + report.of(Kind.FALSE_ACCEPT));
        assertTrue(report.agreements() >= AGREEMENT_BASELINE, "agreements fell below the baseline "
                + AGREEMENT_BASELINE + ": " + report.agreements());
    }
}
