package org.ebpf4j.verifier.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.verifier.LogOptions;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.junit.jupiter.api.Test;

/**
 * ebpf4j's level-1 log against the end of the Linux 6.18 verifier's level-1 log ({@code bytes_only.log_tail}) for
 * every corpus case that both reject with the same message: the instructions the kernel's tail shows, in order,
 * end ebpf4j's log (the failing path, after the kernel's rewinds). The tail's first line may be cut and is left out.
 */
class VerifierLogCorpusTest {
    private static final Pattern INSN = Pattern.compile("(?m)^(\\d+): \\(([0-9a-f]{2})\\)");
    /** Reaches its infinite loop one iteration later than the kernel: ebpf4j records checkpoints elsewhere. */
    private static final Set<String> PRUNED_DIFFERENTLY = Set.of("verifier_progs/verifier_cfg.bpf.o/9");
    /** Cases compared today: raise it as the verifier learns, never lower it. */
    private static final int COMPARED_BASELINE = 368;

    @Test
    void theKernelsFailingPathEndsOurs() throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        Path cases = corpus.get().resolve("cases");
        int compared = 0;
        List<String> differing = new ArrayList<>();
        for (CorpusCase c : CorpusCase.readAll(cases)) {
            if (!c.kernelVerdict().equals("reject")) {
                continue;
            }
            Verdict verdict = Verifier.verify(c.code(), c.options(), LogOptions.level(1));
            if (!(verdict instanceof Verdict.Rejected r) || r.cause() != Verdict.Cause.RULE
                    || !r.lastLine().equals(c.kernelMessage())) {
                continue;
            }
            List<String> kernel = instructions(logTail(cases.resolve(c.name())));
            kernel = kernel.isEmpty() ? kernel : kernel.subList(1, kernel.size());
            List<String> ours = instructions(r.log());
            compared++;
            if (ours.size() < kernel.size() || !ours.subList(ours.size() - kernel.size(), ours.size()).equals(kernel)) {
                differing.add(c.name());
            }
        }
        assertTrue(compared >= COMPARED_BASELINE, "compared " + compared + " cases, fewer than " + COMPARED_BASELINE);
        assertEquals(PRUNED_DIFFERENTLY, Set.copyOf(differing));
    }

    private static List<String> instructions(String log) {
        List<String> out = new ArrayList<>();
        Matcher m = INSN.matcher(log);
        while (m.find()) {
            out.add(m.group(1) + ": (" + m.group(2) + ")");
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String logTail(Path dir) throws IOException {
        Map<String, Object> json = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("case.json")));
        return (String) ((Map<String, Object>) json.get("bytes_only")).get("log_tail");
    }
}
