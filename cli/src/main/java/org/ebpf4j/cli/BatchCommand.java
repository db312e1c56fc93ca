package org.ebpf4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ebpf4j batch FILE|-}: bpftool's {@code batch file}: the commands of a script, one per line, run in one
 * process, so that what one line loads ({@code load FILE.o NAME}) the next ones see ({@code NAME/MAP},
 * {@code NAME/PROG}). The first failing line stops the script: {@code Error: line N: ...} and exit status 1. On
 * success the text output ends with bpftool's {@code processed N commands}; with {@code --json} the output is
 * bpftool's array of {@code {"command": [...], "output": ...}}, one per command run, the failing one's output
 * {@code {"error": ...}}.
 */
@Command(name = "batch", description = {
        "Runs the commands of a script in one process (like bpftool batch file): load FILE.o NAME [--kernel],",
        "prog show|test-run, map show|dump|lookup|update|delete|getnext|freeze, run NAME/PROG --pcap F.",
        "One command per line; # comments; \"quotes\" group words; stops at the first failing line."})
final class BatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The script, or - for standard input.")
    String file;

    @Option(names = {"-j", "--json"}, description = "JSON output (every command's, in one array).")
    boolean json;

    /** Where "-" reads from (standard input; tests give their own). */
    InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
        String script = file.equals("-") ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
                : Files.readString(Path.of(file));
        List<BatchScript.Command> commands = BatchScript.parse(script);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder array = new StringBuilder("[");
        int processed = 0;
        try (Session session = new Session(true)) {
            CommandLine cli = BatchVerbs.commandLine(session);
            for (BatchScript.Command command : commands) {
                StringWriter captured = new StringWriter();
                cli.setOut(json ? new PrintWriter(captured, true) : out);
                cli.setErr(err);
                Failure failure = new Failure();
                cli.setExecutionExceptionHandler((e, c, parsed) -> failure.set(Main.describe(e)));
                cli.setParameterExceptionHandler((e, args) -> failure.set(e.getMessage()));
                String[] args = json ? withJson(command.words()) : command.words().toArray(String[]::new);
                int status = cli.execute(args);
                if (status != 0 && failure.message == null) {
                    failure.set("exit status " + status);
                }
                if (json) {
                    array.append(processed > 0 ? ",\n" : "")
                            .append("{\"command\": ").append(Json.write(command.words()).strip())
                            .append(", \"output\": ").append(output(captured.toString(), failure.message))
                            .append('}');
                }
                if (failure.message != null) {
                    if (json) {
                        out.print(array.append("]\n"));
                        out.flush();
                    }
                    err.println("Error: line " + command.line() + ": " + failure.message);
                    err.flush();
                    return Main.EXIT_FAILURE;
                }
                processed++;
            }
        }
        if (json) {
            out.print(array.append("]\n"));
        } else {
            out.println("processed " + processed + " commands");
        }
        out.flush();
        return 0;
    }

    /** What picocli's handlers saw fail, if anything. */
    private static final class Failure {
        String message;

        int set(String message) {
            this.message = message;
            return Main.EXIT_FAILURE;
        }
    }

    /** The command's JSON, or null when it printed nothing (as bpftool's output of a command with none). */
    private static String output(String printed, String error) {
        if (error != null) {
            return Json.write(java.util.Map.of("error", error)).strip();
        }
        return printed.isBlank() ? "null" : printed.strip();
    }

    /** The command with --json, after its command names (a script's line is run as if typed with -j). */
    private static String[] withJson(List<String> words) {
        java.util.ArrayList<String> args = new java.util.ArrayList<>(words);
        if (!args.contains("--json") && !args.contains("-j")) {
            args.add("--json");
        }
        return args.toArray(String[]::new);
    }
}
