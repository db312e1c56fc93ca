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
 * The verifier in unprivileged mode against what the corpus's selftests expect of a load without CAP_BPF and
 * CAP_PERFMON (the running kernel cannot be asked: unprivileged bpf() is disabled there). Fails on any false accept
 * (the case says an unprivileged load fails and ebpf4j accepts it) and on any crash; writes the table to
 * {@code target/verifier-corpus-unprivileged-report.txt}.
 */
class VerifierUnprivilegedCorpusTest {
    /** Agreements reached so far in unprivileged mode: raise it as the verifier learns, never lower it. */
    private static final int AGREEMENT_BASELINE = 778;

    @Test
    void acceptsNothingTheSelftestsRejectUnprivileged() throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        CorpusReport report = CorpusReport.verifyUnprivileged(CorpusCase.readAll(corpus.get().resolve("cases")));
        String text = report.render();
        System.out.println(text);
        Path out = Path.of("target", "verifier-corpus-unprivileged-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        assertTrue(report.of(Kind.CRASH).isEmpty(), "crashes: " + report.of(Kind.CRASH));
        assertTrue(report.of(Kind.FALSE_ACCEPT).isEmpty(), "false accepts: " + report.of(Kind.FALSE_ACCEPT));
        assertTrue(report.agreements() >= AGREEMENT_BASELINE, "agreements fell below the baseline "
                + AGREEMENT_BASELINE + ": " + report.agreements());
    }
}
