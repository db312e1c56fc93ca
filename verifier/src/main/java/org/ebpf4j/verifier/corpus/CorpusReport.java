package org.ebpf4j.verifier.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;

/**
 * ebpf4j's verifier against the Linux verdicts of {@code shared/verifier-corpus}: every case verified, each outcome
 * classified, counted overall and by group (program type, source). A false accept (ebpf4j accepts what Linux
 * rejects) is a safety bug and is listed first; an unsupported feature is a refusal that names what ebpf4j cannot
 * check yet, never an acceptance.
 */
public final class CorpusReport {
    /** How ebpf4j's verdict compares with the kernel's. */
    public enum Kind {
        /** Both accept. */
        ACCEPT_AGREE,
        /** Both reject (the messages may differ). */
        REJECT_AGREE,
        /** ebpf4j accepts what the kernel rejects. */
        FALSE_ACCEPT,
        /** ebpf4j rejects by a rule what the kernel accepts. */
        FALSE_REJECT,
        /** ebpf4j refuses for a feature it does not check yet; the kernel accepts. */
        UNSUPPORTED,
        /** The verifier threw: a bug. */
        CRASH,
        /** The kernel's load failed outside its verifier (missing map type, log overflow): no verdict to compare. */
        ENVIRONMENT,
        /**
         * Unprivileged report only: ebpf4j accepts where the selftest's (Linux 6.12) expectation rejects, and a later
         * kernel change, named, makes Linux 6.18 accept too.
         */
        SUPERSEDED
    }

    /**
     * One case's outcome.
     *
     * @param ours ebpf4j's message ("" when it accepts)
     * @param exactMessage for a reject agreement, whether ebpf4j's last line is the kernel's
     */
    public record Outcome(String name, String programType, String source, Kind kind, String ours, String kernel,
                          boolean exactMessage) {
        public boolean agrees() {
            return kind == Kind.ACCEPT_AGREE || kind == Kind.REJECT_AGREE;
        }

        public boolean disagrees() {
            return kind == Kind.FALSE_ACCEPT || kind == Kind.FALSE_REJECT || kind == Kind.CRASH;
        }
    }

    private final List<Outcome> outcomes;
    /** Cases left out: for the unprivileged report, those that state no unprivileged expectation. */
    private final int skipped;
    private final boolean unprivileged;
    /** Unprivileged report: cases expected to fail only because an unprivileged loader may not load their type. */
    private final int byProgramType;

    private CorpusReport(List<Outcome> outcomes, int skipped, boolean unprivileged, int byProgramType) {
        this.outcomes = List.copyOf(outcomes);
        this.skipped = skipped;
        this.unprivileged = unprivileged;
        this.byProgramType = byProgramType;
    }

    /** Verifies every case. */
    public static CorpusReport verify(List<CorpusCase> cases) {
        List<Outcome> outcomes = new ArrayList<>(cases.size());
        for (CorpusCase c : cases) {
            outcomes.add(outcome(c));
        }
        return new CorpusReport(outcomes, 0, false, 0);
    }

    /**
     * Verifies every case that states what an unprivileged load should give, as an unprivileged load, against that
     * expectation (the selftests' authors', not a kernel run: unprivileged bpf() is disabled where the corpus was
     * recorded).
     */
    public static CorpusReport verifyUnprivileged(List<CorpusCase> cases) {
        List<Outcome> outcomes = new ArrayList<>(cases.size());
        int skipped = 0;
        int byType = 0;
        for (CorpusCase c : cases) {
            if (c.unprivileged().isEmpty()) {
                skipped++;
            } else {
                byType += c.unprivileged().get().byProgramType() ? 1 : 0;
                outcomes.add(unprivilegedOutcome(c, c.unprivileged().get()));
            }
        }
        return new CorpusReport(outcomes, skipped, true, byType);
    }

    private static Outcome unprivilegedOutcome(CorpusCase c, UnprivilegedExpectation expected) {
        String type = ProgramType.of(c.options().programType()).map(Enum::name)
                .orElse("type " + c.options().programType());
        String source = source(c.name());
        String wanted = String.join(" | ", expected.messages());
        // A map or attach target the machine lacked says nothing about the program; a log overflow does not
        // happen to an unprivileged load, which the selftests run without a log buffer of that size.
        if (c.kernelVerdict().equals("env")) {
            return new Outcome(c.name(), type, source, Kind.ENVIRONMENT, "", wanted, false);
        }
        Verdict verdict;
        try {
            verdict = Verifier.verify(c.code(), c.unprivilegedOptions());
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(c.name(), type, source, Kind.CRASH, e.toString(), wanted, false);
        }
        return switch (verdict) {
            case Verdict.Accepted a when expected.rejects() && expected.supersededBy().isPresent() ->
                    new Outcome(c.name(), type, source, Kind.SUPERSEDED, "", expected.supersededBy().get(), false);
            case Verdict.Accepted a -> new Outcome(c.name(), type, source,
                    expected.rejects() ? Kind.FALSE_ACCEPT : Kind.ACCEPT_AGREE, "", wanted, false);
            case Verdict.Rejected r when expected.rejects() -> new Outcome(c.name(), type, source,
                    Kind.REJECT_AGREE, r.lastLine(), wanted,
                    !expected.messages().isEmpty() && expected.messages().stream()
                            .allMatch(m -> r.log().contains(m) || r.message().contains(m)));
            case Verdict.Rejected r -> new Outcome(c.name(), type, source,
                    r.cause() == Verdict.Cause.UNSUPPORTED ? Kind.UNSUPPORTED : Kind.FALSE_REJECT,
                    (r.insn() >= 0 ? "insn " + r.insn() + ": " : "") + r.message(), "", false);
        };
    }

    private static Outcome outcome(CorpusCase c) {
        String type = ProgramType.of(c.options().programType()).map(Enum::name)
                .orElse("type " + c.options().programType());
        String source = source(c.name());
        if (c.isEnvironmentFailure()) {
            return new Outcome(c.name(), type, source, Kind.ENVIRONMENT, "", c.kernelMessage(), false);
        }
        Verdict verdict;
        try {
            verdict = Verifier.verify(c.code(), c.options());
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(c.name(), type, source, Kind.CRASH, e.toString(), c.kernelMessage(), false);
        }
        boolean kernelAccepts = c.kernelVerdict().equals("accept");
        return switch (verdict) {
            case Verdict.Accepted a -> new Outcome(c.name(), type, source,
                    kernelAccepts ? Kind.ACCEPT_AGREE : Kind.FALSE_ACCEPT, "", c.kernelMessage(), false);
            case Verdict.Rejected r when !kernelAccepts -> new Outcome(c.name(), type, source, Kind.REJECT_AGREE,
                    r.lastLine(), c.kernelMessage(), r.lastLine().equals(c.kernelMessage()));
            case Verdict.Rejected r -> new Outcome(c.name(), type, source,
                    r.cause() == Verdict.Cause.UNSUPPORTED ? Kind.UNSUPPORTED : Kind.FALSE_REJECT,
                    (r.insn() >= 0 ? "insn " + r.insn() + ": " : "") + r.message(), "", false);
        };
    }

    /** {@code test_verifier} or {@code verifier_progs/OBJECT}: where the case came from. */
    private static String source(String name) {
        String[] parts = name.replace('\\', '/').split("/");
        return parts.length >= 3 ? parts[0] + "/" + parts[1] : parts[0];
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    public List<Outcome> of(Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).toList();
    }

    public int count(Kind kind) {
        return of(kind).size();
    }

    public int agreements() {
        return count(Kind.ACCEPT_AGREE) + count(Kind.REJECT_AGREE);
    }

    public int disagreements() {
        return (int) outcomes.stream().filter(Outcome::disagrees).count();
    }

    /** "N agree, N disagree, N false accepts, N unsupported": the line the corpus command ends with. */
    public String summary() {
        return String.format("%d agree, %d disagree, %d false accepts, %d unsupported", agreements(),
                disagreements(), count(Kind.FALSE_ACCEPT), count(Kind.UNSUPPORTED));
    }

    /** Per group value (e.g. program type): agree, disagree, unsupported, environment counts. */
    public Map<String, int[]> byGroup(Function<Outcome, String> group) {
        Map<String, int[]> rows = new TreeMap<>();
        for (Outcome o : outcomes) {
            int[] row = rows.computeIfAbsent(group.apply(o), g -> new int[4]);
            row[o.agrees() ? 0 : o.disagrees() ? 1 : o.kind() == Kind.UNSUPPORTED ? 2 : 3]++;
        }
        return rows;
    }

    /** Unsupported features by how many cases need them, most first. */
    public Map<String, Long> unsupportedFeatures() {
        return of(Kind.UNSUPPORTED).stream()
                .collect(Collectors.groupingBy(o -> feature(o.ours()), TreeMap::new, Collectors.counting()))
                .entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** The unsupported feature, without the instruction and the instance detail after the colon. */
    private static String feature(String message) {
        String m = message.startsWith("insn ") ? message.substring(message.indexOf(": ") + 2) : message;
        int colon = m.indexOf(": ");
        return colon < 0 ? m : m.substring(0, colon);
    }

    /** The report as text: false accepts first, then totals, groups, and the cases behind each disagreement. */
    public String render() {
        StringBuilder s = new StringBuilder();
        s.append(unprivileged
                ? "ebpf4j verifier, unprivileged, vs the selftests' unprivileged expectations (shared/verifier-corpus)\n"
                : "ebpf4j verifier vs Linux 6.18 (shared/verifier-corpus, bytes_only verdicts)\n");
        section(s, "FALSE ACCEPTS (ebpf4j accepts what Linux rejects)", of(Kind.FALSE_ACCEPT),
                o -> o.name() + " (kernel: " + o.kernel() + ")");
        section(s, "crashes", of(Kind.CRASH), o -> o.name() + ": " + o.ours());
        section(s, "accepted where the selftest's expectation no longer holds in Linux 6.18", of(Kind.SUPERSEDED),
                o -> o.name() + " (" + o.kernel() + ")");
        s.append('\n');
        row(s, "cases", outcomes.size());
        if (unprivileged) {
            row(s, "  left out: no unprivileged expectation stated", skipped);
            row(s, "  expected reject because of the program type alone", byProgramType);
        }
        row(s, "  env (load failed outside the verifier, log overflow)", count(Kind.ENVIRONMENT));
        row(s, "accept agree", count(Kind.ACCEPT_AGREE));
        row(s, "reject agree", count(Kind.REJECT_AGREE));
        row(s, "  of which exact message", (int) of(Kind.REJECT_AGREE).stream().filter(Outcome::exactMessage).count());
        row(s, "false reject, unsupported feature", count(Kind.UNSUPPORTED));
        row(s, "false reject, rule", count(Kind.FALSE_REJECT));
        row(s, "FALSE ACCEPT", count(Kind.FALSE_ACCEPT));
        row(s, "crashes", count(Kind.CRASH));
        if (unprivileged) {
            row(s, "accepted, expectation superseded by a later kernel", count(Kind.SUPERSEDED));
        }
        groups(s, "by program type", byGroup(Outcome::programType));
        groups(s, "by source", byGroup(Outcome::source));
        section(s, "false rejects by a rule (the kernel accepts)", of(Kind.FALSE_REJECT),
                o -> o.name() + " at " + o.ours());
        s.append("\nfalse rejects by unsupported feature:\n");
        unsupportedFeatures().forEach((feature, n) -> s.append(String.format("  %5d  %s%n", n, feature)));
        section(s, "reject agreements with another message",
                of(Kind.REJECT_AGREE).stream().filter(o -> !o.exactMessage()).toList(),
                o -> o.name() + ": ours \"" + o.ours() + "\" kernel \"" + o.kernel() + "\"");
        s.append('\n').append(summary()).append('\n');
        return s.toString();
    }

    private static void row(StringBuilder s, String label, int count) {
        s.append(String.format("%-54s %6d%n", label, count));
    }

    private static void groups(StringBuilder s, String title, Map<String, int[]> rows) {
        s.append('\n').append(title).append(String.format(":%n  %-56s %6s %9s %11s %4s%n", "", "agree", "disagree",
                "unsupported", "env"));
        rows.forEach((group, r) -> s.append(String.format("  %-56s %6d %9d %11d %4d%n", group, r[0], r[1], r[2],
                r[3])));
    }

    private static void section(StringBuilder s, String title, List<Outcome> cases, Function<Outcome, String> line) {
        if (cases.isEmpty()) {
            return;
        }
        s.append('\n').append(title).append(" (").append(cases.size()).append("):\n");
        cases.forEach(o -> s.append("  ").append(line.apply(o)).append('\n'));
    }
}
