package org.ebpf4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.Program;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.pcap.Capture;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.CollectionSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands of a batch script ({@link BatchCommand}): {@code load}, {@code prog}, {@code map} and {@code run},
 * all in the script's {@link Session}.
 */
@Command(name = "", subcommands = {BatchVerbs.Load.class, ProgCommand.class, MapCommand.class, BatchVerbs.Run.class})
final class BatchVerbs {
    /** The command line of a script's commands, each given {@code session}. */
    static CommandLine commandLine(Session session) {
        CommandLine cli = new CommandLine(new BatchVerbs(), SessionCommand.factory(session));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        ProgCommand.passOptionsThrough(cli.getSubcommands().get("prog"));
        return cli;
    }

    /**
     * {@code load FILE.o NAME}: loads an object under NAME for the rest of the script, into this JVM (verified
     * unless {@code --unverified}) or with {@code --kernel} into the kernel, whose objects live as long as the
     * script holds their fds.
     */
    @Command(name = "load", description = "Loads FILE.o under NAME: its maps and programs are NAME/MAP, NAME/PROG.")
    static final class Load implements Callable<Integer>, Session.User {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE.o", description = "A clang-compiled BPF object.")
        Path file;

        @Parameters(index = "1", paramLabel = "NAME", description = "The collection's name in the script.")
        String name;

        @Option(names = "--set", paramLabel = "NAME=VALUE",
                description = "Sets an integer global variable (a const volatile in .rodata) before loading.")
        Map<String, String> globals = new LinkedHashMap<>();

        @Option(names = "--unverified", description = "Loads into the JVM without the verifier's proof.")
        boolean unverified;

        @Option(names = "--kernel", description = "Loads into the running kernel (verified by it).")
        boolean kernel;

        @Mixin
        EngineOption engine;

        @Option(names = {"-j", "--json"}, description = "Accepted for a script run with --json (load prints nothing).")
        boolean json;

        private Session session;

        @Override
        public void use(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() throws Exception {
            if (name.isEmpty() || name.contains("/")) {
                throw new CliException("a collection name has no '/': " + name);
            }
            if (kernel && (unverified || spec.commandLine().getParseResult().hasMatchedOption("--engine"))) {
                throw new CliException("--unverified and --engine say how the JVM runs programs; with --kernel the"
                        + " kernel verifies and runs them");
            }
            CollectionSpec asWritten;
            try {
                asWritten = ObjectLoader.load(file);
            } catch (BpfException e) {
                throw new CliException("cannot load " + file + ": " + e.getMessage());
            }
            GlobalDataLayout layout = GlobalDataLayout.of(file);
            CollectionSpec loadedSpec = GlobalVariables.set(asWritten, layout, globals);
            PrintWriter err = spec.commandLine().getErr();
            Collection collection;
            try {
                if (kernel) {
                    collection = LinuxBackend.open().load(loadedSpec, LoadOptions.defaults());
                } else {
                    JvmBackend backend = new JvmBackend().withEngine(engine.engine)
                            .withTraceSink(line -> session.trace(line, err));
                    collection = backend.load(loadedSpec,
                            unverified ? LoadOptions.defaults().unverified() : LoadOptions.defaults());
                }
            } catch (BpfException | UnsupportedOperationException e) {
                throw new CliException("cannot load " + file + (kernel ? " into the kernel: " : " into the JVM: ")
                        + e.getMessage());
            }
            session.add(new Session.Loaded(name, file, loadedSpec, layout, collection,
                    RunCapture.where(kernel, engine.engine, unverified), kernel));
            return 0;
        }
    }

    /** {@code run NAME/PROG --pcap CAPTURE}: {@code run FILE.o --pcap}'s report for a loaded program. */
    @Command(name = "run", description = "Runs NAME/PROG over every packet of a capture and prints the report"
            + " (like run FILE.o --pcap).")
    static final class Run implements Callable<Integer>, Session.User {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME/PROG", description = "A program of a loaded collection.")
        String reference;

        @Option(names = "--pcap", required = true, paramLabel = "CAPTURE", description = "A pcap or pcapng capture.")
        Path pcap;

        @Option(names = {"-j", "--json"}, description = "JSON output.")
        boolean json;

        private Session session;

        @Override
        public void use(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() throws Exception {
            Program program = session.program(reference);
            Session.Loaded loaded = session.collection(reference.substring(0, reference.indexOf('/')));
            Capture packets = Capture.read(pcap);
            CaptureRun run = new CaptureRun(RunCapture.refusals(loaded.kernel()));
            CaptureRun.Result result;
            session.traceTo(run::trace);
            try {
                result = run.run(program, packets.packets());
            } finally {
                session.traceTo(null);
            }
            RunCapture.report(packets, program, loaded.where(), result, !loaded.kernel(), loaded.collection(),
                    loaded.spec(), loaded.layout(), json, spec.commandLine().getOut());
            return 0;
        }
    }
}
