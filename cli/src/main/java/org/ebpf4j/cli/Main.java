package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.util.Set;
import org.ebpf4j.isa.BpfException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ebpf4j}: the command line. Exit status 0 on success, 1 when the program or its input is bad (one line on
 * stderr, no stack trace), 2 on a usage error (with the usage text).
 */
@Command(name = "ebpf4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "eBPF for the JVM: run, assemble, disassemble and test eBPF programs.",
        subcommands = {RunCommand.class, TestRunCommand.class, AsmCommand.class, DisasmCommand.class, InspectCommand.class,
                ConformanceCommand.class, CorpusCommand.class, PcapCommand.class,
                PluginCommand.class, ProgCommand.class, MapCommand.class, LoadCommand.class, VerifyCommand.class,
                BatchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // bpftool-style commands report failures as bpftool does.
            commandLine.getErr().println((e instanceof BpftoolError ? "Error: " : "ebpf4j: ") + describe(e));
            return EXIT_FAILURE;
        });
        ProgCommand.passOptionsThrough(cli.getSubcommands().get("prog"));
        return cli.execute(kernelOptionAfterVerb(args));
    }

    /** The verbs that run on the kernel backend with {@code --kernel}. */
    static final Set<String> KERNEL_VERBS = Set.of("run", "test-run", "verify", "load", "corpus");

    /**
     * {@code ebpf4j --kernel VERB ...} is {@code ebpf4j VERB --kernel ...}: the backend chosen once for the whole
     * command line, as the issue's {@code bin/ebpf4j --kernel run|test-run|verify|load} spells it. Other verbs keep
     * {@code --kernel} where it is, so picocli reports it as unknown to them.
     */
    static String[] kernelOptionAfterVerb(String[] args) {
        if (args.length < 2 || !args[0].equals("--kernel") || !KERNEL_VERBS.contains(args[1])) {
            return args;
        }
        String[] moved = args.clone();
        moved[0] = args[1];
        moved[1] = "--kernel";
        return moved;
    }

    /** One line about a failure; the message of our own exceptions already names what and where. */
    static String describe(Exception e) {
        if (e instanceof BpfException || e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof java.nio.file.NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof java.io.IOException io) {
            return "I/O error: " + io.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
