package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ebpf4j.isa.conformance.ConformanceSuite;
import org.ebpf4j.isa.conformance.ConformanceVector;
import org.ebpf4j.runtime.conformance.ConformanceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "conformance", description = {
        "Runs RFC 9669 conformance vectors and ends with the line 'N passed, N failed'.",
        "Exit status 0 when every vector passed, 1 otherwise."})
final class ConformanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TSV|DIR|FILE",
            description = "conformance_corpus.tsv, a directory of .data files, or one .data file.")
    Path path;

    @Option(names = {"-v", "--verbose"}, description = "Print every vector's outcome, not only failures.")
    boolean verbose;

    @Mixin
    EngineOption engine;

    @Override
    public Integer call() {
        List<ConformanceVector> vectors = Files.isDirectory(path) ? ConformanceSuite.readDirectory(path)
                : path.toString().endsWith(".data") ? List.of(ConformanceSuite.readDataFile(path))
                : ConformanceSuite.readTsv(path);
        var runner = new ConformanceRunner(engine.engine);
        var out = spec.commandLine().getOut();
        int passed = 0;
        int failed = 0;
        for (ConformanceVector vector : vectors) {
            var outcome = runner.run(vector);
            if (outcome.passed()) {
                passed++;
            } else {
                failed++;
            }
            if (verbose || !outcome.passed()) {
                out.printf("%s %s: %s%n", outcome.passed() ? "PASS" : "FAIL", vector.name(), outcome.detail());
            }
        }
        out.printf("%d passed, %d failed%n", passed, failed);
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }
}
