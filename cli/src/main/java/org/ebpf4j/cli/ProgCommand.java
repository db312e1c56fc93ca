package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.linux.LinuxBackend;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ebpf4j prog list|show [PROG]}: the kernel's loaded programs, as {@code bpftool prog show} lists them; in a
 * batch script, also the programs of the collections it loaded ({@code NAME/PROG}), which {@code prog test-run}
 * runs.
 */
@Command(name = "prog", description = "Programs (like bpftool prog): kernel programs by id, a batch script's by"
        + " NAME/PROG.",
        subcommands = {ProgCommand.Show.class, ProgCommand.List.class, ProgCommand.TestRun.class})
final class ProgCommand {
    private ProgCommand() {}

    @Command(name = "show", description = "Every program, or PROG (ID, id N, pinned PATH, or NAME/PROG in a batch script), as"
            + " bpftool prog show.")
    static class Show extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) {
            if (!words.hasNext() && session.batch()) {
                ObjectListings.programs(session, null, json, out);
                return;
            }
            String first = words.peek();
            if (first != null && first.contains("/")) {
                ObjectListings.programs(session, words.next("NAME/PROG"), json, out);
                words.expectEnd();
                return;
            }
            LinuxBackend.open();
            KernelListing.show(KernelListing.PROGRAMS, KernelListing.requestedId(KernelListing.PROGRAMS, words), json, out);
        }
    }

    @Command(name = "list", description = "The same as show.")
    static final class List extends Show {
    }

    /**
     * {@code prog test-run NAME/PROG OPTIONS}: a loaded program run once with test-run's options (its FILE.o is the
     * reference), delegated to {@link TestRunCommand} so that both take the same options.
     */
    @Command(name = "test-run", description = "Runs NAME/PROG of a batch script with the options of test-run"
            + " (--data, --data-hex, --ctx, --repeat, --json).")
    static final class TestRun extends SessionCommand {
        @Override
        void run(Words words, PrintWriter out) throws Exception {
            String reference = words.next("NAME/PROG");
            java.util.List<String> args = new ArrayList<>();
            args.add(reference);
            while (words.hasNext()) {
                args.add(words.next("an option"));
            }
            if (json) {
                args.add("--json");
            }
            TestRunCommand command = new TestRunCommand();
            CommandLine cli = new CommandLine(command);
            cli.setCaseInsensitiveEnumValuesAllowed(true);
            cli.setOut(out);
            cli.setErr(spec.commandLine().getErr());
            try {
                cli.parseArgs(args.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new BpftoolError(e.getMessage());
            }
            command.runOn(session.program(reference));
        }
    }

    /** test-run's options are its own, so they reach it as words: set on the {@code prog} command line built. */
    static void passOptionsThrough(CommandLine prog) {
        prog.getSubcommands().get("test-run").setUnmatchedOptionsArePositionalParams(true);
    }
}
