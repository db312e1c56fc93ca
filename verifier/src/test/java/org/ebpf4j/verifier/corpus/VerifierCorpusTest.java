package org.ebpf4j.verifier.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.junit.jupiter.api.Test;

/**
 * The verifier against the Linux 6.18 verifier's verdicts on the whole corpus. Fails on any false accept (a
 * program the kernel rejects and ebpf4j accepts: a safety bug) and on any crash; prints the agreement table and
 * writes it to {@code target/verifier-corpus-report.txt}.
 */
class VerifierCorpusTest {
    /** Agreements (accepts plus rejects) reached so far: raise it as the verifier learns, never lower it. */
    private static final int AGREEMENT_BASELINE = 944;

    @Test
    void acceptsNothingTheKernelRejects() throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        Path root = corpus.get().resolve("cases");
        List<Path> dirs;
        try (Stream<Path> files = Files.walk(root)) {
            dirs = files.filter(p -> p.getFileName().toString().equals("case.json")).map(Path::getParent)
                    .sorted().toList();
        }
        CorpusReport report = new CorpusReport();
        for (Path dir : dirs) {
            CorpusCase c = CorpusCase.read(root, dir);
            if (c.isEnvironmentFailure()) {
                report.environment();
                continue;
            }
            Verdict verdict;
            try {
                verdict = Verifier.verify(c.code(), c.options());
            } catch (RuntimeException | StackOverflowError e) {
                report.crash(c, e);
                continue;
            }
            report.add(c, verdict);
        }
        String text = report.render();
        System.out.println(text);
        Path out = Path.of("target", "verifier-corpus-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, text);
        assertTrue(report.crashes().isEmpty(), "crashes: " + report.crashes());
        assertTrue(report.falseAccepts().isEmpty(), "false accepts: " + report.falseAccepts());
        assertTrue(report.agreements() >= AGREEMENT_BASELINE, "agreements fell below the baseline "
                + AGREEMENT_BASELINE + ": " + report.agreements());
    }

    /** Counts by outcome, with the cases behind the ones that need attention. */
    static final class CorpusReport {
        private int total;
        private int environment;
        private int acceptAgree;
        private int rejectAgree;
        private int exactMessage;
        private int falseRejectUnsupported;
        private final List<String> falseRejectRule = new ArrayList<>();
        private final List<String> falseAccepts = new ArrayList<>();
        private final List<String> crashes = new ArrayList<>();
        private final Map<String, Integer> unsupportedReasons = new TreeMap<>();
        private final List<String> messageMismatches = new ArrayList<>();

        int agreements() {
            return acceptAgree + rejectAgree;
        }

        void environment() {
            total++;
            environment++;
        }

        void crash(CorpusCase c, Throwable e) {
            total++;
            crashes.add(c.name() + ": " + e);
        }

        void add(CorpusCase c, Verdict verdict) {
            total++;
            boolean kernelAccepts = c.kernelVerdict().equals("accept");
            switch (verdict) {
                case Verdict.Accepted a -> {
                    if (kernelAccepts) {
                        acceptAgree++;
                    } else {
                        falseAccepts.add(c.name() + " (kernel: " + c.kernelMessage() + ")");
                    }
                }
                case Verdict.Rejected r -> {
                    if (!kernelAccepts) {
                        rejectAgree++;
                        if (r.lastLine().equals(c.kernelMessage())) {
                            exactMessage++;
                        } else {
                            messageMismatches.add(c.name() + ": ours \"" + r.lastLine() + "\" kernel \""
                                    + c.kernelMessage() + "\"");
                        }
                    } else if (r.cause() == Verdict.Cause.UNSUPPORTED) {
                        falseRejectUnsupported++;
                        unsupportedReasons.merge(reason(r.message()), 1, Integer::sum);
                    } else {
                        falseRejectRule.add(c.name() + " at insn " + r.insn() + ": " + r.message());
                    }
                }
            }
        }

        /** The unsupported feature, without the instance detail after the colon. */
        private static String reason(String message) {
            int colon = message.indexOf(": ");
            return colon < 0 ? message : message.substring(0, colon);
        }

        List<String> falseAccepts() {
            return falseAccepts;
        }

        List<String> crashes() {
            return crashes;
        }

        String render() {
            StringBuilder s = new StringBuilder();
            s.append("ebpf4j verifier vs Linux 6.18 (shared/verifier-corpus, bytes_only verdicts)\n");
            row(s, "cases", total);
            row(s, "  env (load failed outside the verifier, log overflow)", environment);
            row(s, "accept agree", acceptAgree);
            row(s, "reject agree", rejectAgree);
            row(s, "  of which exact message", exactMessage);
            row(s, "false reject, unsupported feature", falseRejectUnsupported);
            row(s, "false reject, rule", falseRejectRule.size());
            row(s, "FALSE ACCEPT", falseAccepts.size());
            row(s, "crashes", crashes.size());
            section(s, "FALSE ACCEPTS", falseAccepts);
            section(s, "crashes", crashes);
            section(s, "false rejects by a rule (the kernel accepts)", falseRejectRule);
            s.append("\nfalse rejects by unsupported feature:\n");
            unsupportedReasons.entrySet().stream()
                    .sorted((a, b) -> b.getValue() - a.getValue())
                    .forEach(e -> s.append(String.format("  %5d  %s%n", e.getValue(), e.getKey())));
            section(s, "reject agreements with another message", messageMismatches);
            return s.toString();
        }

        private static void row(StringBuilder s, String label, int count) {
            s.append(String.format("%-54s %6d%n", label, count));
        }

        private static void section(StringBuilder s, String title, List<String> lines) {
            if (lines.isEmpty()) {
                return;
            }
            s.append('\n').append(title).append(" (").append(lines.size()).append("):\n");
            lines.forEach(l -> s.append("  ").append(l).append('\n'));
        }
    }
}
