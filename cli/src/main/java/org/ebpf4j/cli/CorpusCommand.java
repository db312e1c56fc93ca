package org.ebpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebpf4j.verifier.corpus.CorpusCase;
import org.ebpf4j.verifier.corpus.CorpusReport;
import org.ebpf4j.verifier.corpus.CorpusReport.Kind;
import org.ebpf4j.verifier.corpus.CorpusReport.Outcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "corpus", description = {
        "Verifies every case of a verifier corpus (shared/verifier-corpus) and compares with the Linux verdicts:",
        "false accepts first, then agreement by program type and source, ending with the line",
        "'N agree, N disagree, N false accepts, N unsupported'. Exit status 1 on any false accept or crash."})
final class CorpusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The corpus directory (holding cases/) or its cases directory.")
    Path dir;

    @Option(names = {"-j", "--json"}, description = "JSON output: totals, groups and every case's outcome.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Path cases = Files.isDirectory(dir.resolve("cases")) ? dir.resolve("cases") : dir;
        if (!Files.isDirectory(cases)) {
            throw new CliException("no corpus at " + dir + ": expected a directory of cases");
        }
        List<CorpusCase> read = CorpusCase.readAll(cases);
        if (read.isEmpty()) {
            throw new CliException("no case.json under " + cases);
        }
        CorpusReport report = CorpusReport.verify(read);
        spec.commandLine().getOut().print(json ? Json.write(model(report)) : report.render());
        spec.commandLine().getOut().flush();
        boolean unsafe = report.count(Kind.FALSE_ACCEPT) + report.count(Kind.CRASH) > 0;
        return unsafe ? Main.EXIT_FAILURE : 0;
    }

    private static Map<String, Object> model(CorpusReport report) {
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("agree", report.agreements());
        totals.put("disagree", report.disagreements());
        for (Kind kind : Kind.values()) {
            totals.put(kind.name().toLowerCase(), report.count(kind));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("totals", totals);
        m.put("by_program_type", groups(report.byGroup(Outcome::programType)));
        m.put("by_source", groups(report.byGroup(Outcome::source)));
        m.put("unsupported_features", report.unsupportedFeatures());
        List<Object> cases = new ArrayList<>();
        for (Outcome o : report.outcomes()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", o.name());
            c.put("program_type", o.programType());
            c.put("outcome", o.kind().name().toLowerCase());
            c.put("ebpf4j", o.ours());
            c.put("kernel", o.kernel());
            cases.add(c);
        }
        m.put("cases", cases);
        m.put("summary", report.summary());
        return m;
    }

    private static Map<String, Object> groups(Map<String, int[]> rows) {
        Map<String, Object> out = new LinkedHashMap<>();
        rows.forEach((group, r) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("agree", r[0]);
            row.put("disagree", r[1]);
            row.put("unsupported", r[2]);
            row.put("env", r[3]);
            out.put(group, row);
        });
        return out;
    }
}
