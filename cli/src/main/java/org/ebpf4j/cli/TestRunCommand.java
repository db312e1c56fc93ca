package org.ebpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.CollectionSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "test-run", description = {
        "Runs one program of an object with BPF_PROG_TEST_RUN's semantics (like bpftool",
        "prog run): in this JVM after ebpf4j's verifier has accepted every program of",
        "the object (--unverified skips it; trace_printk output goes to stderr), or with",
        "--kernel in the running kernel, after its verifier. Packet types take --data",
        "(and an optional context); raw_tp and syscall programs a context alone (--ctx,",
        "--ctx-hex); kprobe, tracepoint and perf_event programs run on a context given",
        "as bytes (pt_regs, the record, bpf_perf_event_data) in this JVM only: the",
        "kernel cannot test-run them (ENOTSUPP)."})
final class TestRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE.o", description = "A clang-compiled BPF object.")
    Path file;

    @Option(names = "--program", paramLabel = "NAME", description = "The program (default: the object's only one).")
    String program;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Data data;

    static final class Data {
        @Option(names = "--data", paramLabel = "FILE", description = "The packet, raw bytes.")
        Path file;

        @Option(names = "--data-hex", paramLabel = "HEX", description = "The packet as hex digits.")
        String hex;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Context context;

    static final class Context {
        @Option(names = "--ctx", paramLabel = "FILE", description = "The context, raw bytes: xdp_md, __sk_buff, raw"
                + " tracepoint arguments (u64s), a syscall buffer, pt_regs, bpf_perf_event_data, a tracepoint record.")
        Path file;

        @Option(names = "--ctx-hex", paramLabel = "HEX", description = "The context as hex digits.")
        String hex;
    }

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1", description = "Runs (default: 1).")
    int repeat;

    @Option(names = "--unverified", description = "Runs without the verifier's proof (for what it cannot check yet).")
    boolean unverified;

    @Option(names = {"-j", "--json"}, description = "JSON output.")
    boolean json;

    @Mixin
    EngineOption engine;

    @Option(names = "--kernel", description = "Load and run in the running kernel (BPF_PROG_TEST_RUN).")
    boolean kernel;

    @Override
    public Integer call() throws Exception {
        CollectionSpec collection = ObjectLoader.load(file);
        TestRun run = input();
        if (kernel) {
            try (Collection loaded = LinuxBackend.open().load(collection, LoadOptions.defaults())) {
                print(chosen(loaded).testRun(run));
            }
            return 0;
        }
        JvmBackend backend = new JvmBackend().withEngine(engine.engine).withTraceSink(message -> {
            spec.commandLine().getErr().print(message.endsWith("\n") ? message : message + "\n");
            spec.commandLine().getErr().flush();
        });
        LoadOptions options = unverified ? LoadOptions.defaults().unverified() : LoadOptions.defaults();
        try (Collection loaded = backend.load(collection, options)) {
            print(chosen(loaded).testRun(run));
        }
        return 0;
    }

    /** The test run the options describe. */
    private TestRun input() throws IOException {
        byte[] packet = data == null ? new byte[0]
                : data.file != null ? Files.readAllBytes(data.file) : Hex.parse("--data-hex", data.hex);
        TestRun run = TestRun.of(packet).repeat(repeat);
        if (context != null) {
            run = run.ctx(context.file != null ? Files.readAllBytes(context.file) : Hex.parse("--ctx-hex", context.hex));
        }
        return run;
    }

    /**
     * Runs an already loaded program with these options' input and prints the result (a batch script's
     * {@code prog test-run NAME/PROG}, whose FILE.o parameter is the reference): the options that choose how to
     * load (--kernel, --engine, --unverified, --program) belong to its {@code load}.
     */
    void runOn(Program loaded) throws IOException {
        for (String loading : List.of("--kernel", "--engine", "--unverified", "--program")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(loading)) {
                throw new CliException(loading + " chooses how to load; a loaded program runs where its load put it");
            }
        }
        print(loaded.testRun(input()));
    }

    private void print(TestRunResult result) {
        spec.commandLine().getOut().print(json ? Json.write(model(result)) : text(result));
        spec.commandLine().getOut().flush();
    }

    private Program chosen(Collection loaded) {
        if (program != null) {
            if (!loaded.programs().containsKey(program)) {
                throw new CliException("no program '" + program + "' in " + file + "; it has "
                        + loaded.programs().keySet());
            }
            return loaded.program(program);
        }
        if (loaded.programs().size() != 1) {
            throw new CliException(file + " has " + loaded.programs().size() + " programs " + loaded.programs().keySet()
                    + ": choose one with --program");
        }
        return loaded.programs().values().iterator().next();
    }

    private static Map<String, Object> model(TestRunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("retval", r.returnValue());
        m.put("duration_ns", r.nanosPerRun());
        m.put("data_out", HexFormat.of().formatHex(r.dataOut()));
        m.put("ctx_out", r.contextOut().length == 0 ? null : HexFormat.of().formatHex(r.contextOut()));
        return m;
    }

    private static String text(TestRunResult r) {
        StringBuilder out = new StringBuilder()
                .append("Return value: ").append(r.returnValue()).append(" (0x")
                .append(Long.toHexString(r.returnValue())).append(")\n")
                .append("Duration (average): ").append(r.nanosPerRun()).append(" ns\n")
                .append("Data out: ").append(HexFormat.of().formatHex(r.dataOut())).append('\n');
        if (r.contextOut().length > 0) {
            out.append("Context out: ").append(HexFormat.of().formatHex(r.contextOut())).append('\n');
        }
        return out.toString();
    }
}
