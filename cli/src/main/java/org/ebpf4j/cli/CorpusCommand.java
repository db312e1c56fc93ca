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
        "'N agree, N disagree, N false accepts, N unsupported'. Exit status 1 on any false accept or crash.",
        "With --kernel, each case is also loaded into the running kernel, whose verdicts are compared with the",
        "recorded Linux 6.18 ones. With --unprivileged, the cases that state what a load without CAP_BPF and",
        "CAP_PERFMON gives are verified that way and compared with that expectation instead."})
final class CorpusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The corpus directory (holding cases/) or its cases directory.")
    Path dir;

    @Option(names = {"-j", "--json"}, description = "JSON output: totals, groups and every case's outcome.")
    boolean json;

    @Option(names = "--kernel", description = "Also load each case into the running kernel and report where its "
            + "verdict differs from the recorded one.")
    boolean kernel;

    @Option(names = "--unprivileged", description = "Verify as a loader without CAP_BPF and CAP_PERFMON, against the "
            + "cases' unprivileged expectations (selftest metadata); cases stating none are left out.")
    boolean unprivileged;

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
        if (unprivileged && kernel) {
            throw new CliException("--unprivileged compares with the cases' expectations; it cannot be combined with "
                    + "--kernel, which loads with this process's capabilities");
        }
        // Opened first: without bpf() the command fails before the long part.
        RunningKernelVerdicts running = kernel ? new RunningKernelVerdicts() : null;
        CorpusReport report = unprivileged ? CorpusReport.verifyUnprivileged(read) : CorpusReport.verify(read);
        List<RunningKernelVerdicts.KernelVerdict> verdicts = new ArrayList<>();
        if (running != null) {
            read.forEach(c -> verdicts.add(running.of(c)));
        }
        String text = kernel ? runningKernel(read, verdicts) + report.render() : report.render();
        spec.commandLine().getOut().print(json ? Json.write(model(report, read, verdicts)) : text);
        spec.commandLine().getOut().flush();
        boolean unsafe = report.count(Kind.FALSE_ACCEPT) + report.count(Kind.CRASH) > 0;
        return unsafe ? Main.EXIT_FAILURE : 0;
    }

    /** The cases where the running kernel's verdict is not the recorded one, then their count. */
    private static String runningKernel(List<CorpusCase> cases, List<RunningKernelVerdicts.KernelVerdict> verdicts) {
        StringBuilder s = new StringBuilder("running kernel vs the recorded Linux 6.18 verdicts:\n");
        int differ = 0;
        int notLoaded = 0;
        for (int i = 0; i < cases.size(); i++) {
            String recorded = RunningKernelVerdicts.recorded(cases.get(i));
            RunningKernelVerdicts.KernelVerdict now = verdicts.get(i);
            if (now.verdict().equals(RunningKernelVerdicts.NOT_LOADED)) {
                notLoaded++;
            } else if (RunningKernelVerdicts.differs(cases.get(i), now)) {
                differ++;
                s.append("  ").append(cases.get(i).name()).append(": recorded ").append(recorded)
                        .append(", running kernel ").append(now.verdict())
                        .append(now.message().isEmpty() ? "" : " (" + now.message() + ")").append('\n');
            }
        }
        s.append(differ).append(" of ").append(cases.size() - notLoaded)
                .append(" cases differ from the recorded verdicts in the running kernel");
        if (notLoaded > 0) {
            s.append(" (").append(notLoaded).append(" not loaded: ebpf4j cannot hand them to the kernel)");
        }
        return s.append("\n\n").toString();
    }

    private static Map<String, Object> model(CorpusReport report, List<CorpusCase> read,
                                             List<RunningKernelVerdicts.KernelVerdict> running) {
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
        int differ = 0;
        for (int i = 0; i < report.outcomes().size(); i++) {
            Outcome o = report.outcomes().get(i);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", o.name());
            c.put("program_type", o.programType());
            c.put("outcome", o.kind().name().toLowerCase());
            c.put("ebpf4j", o.ours());
            c.put("kernel", o.kernel());
            if (!running.isEmpty()) {
                c.put("recorded_kernel", RunningKernelVerdicts.recorded(read.get(i)));
                c.put("running_kernel", running.get(i).verdict());
                c.put("running_kernel_message", running.get(i).message());
                differ += RunningKernelVerdicts.differs(read.get(i), running.get(i)) ? 1 : 0;
            }
            cases.add(c);
        }
        if (!running.isEmpty()) {
            totals.put("running_kernel_differs", differ);
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
