package org.ebpf4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.Program;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.pcap.Capture;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.TestRunException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.elf.ObjectLoader;

/**
 * {@code run FILE.o --pcap CAPTURE}: loads the object into this JVM (verified unless {@code --unverified}), sets
 * the requested global variables first, runs the chosen program over the capture and prints the report.
 */
record RunCapture(Path object, Path capture, String programName, Map<String, String> globals, boolean unverified,
                  Engine engine, boolean json) {

    void run(PrintWriter out) throws IOException {
        CollectionSpec asWritten = load();
        GlobalDataLayout layout = GlobalDataLayout.of(object);
        CollectionSpec spec = GlobalVariables.set(asWritten, layout, globals);
        Capture packets = Capture.read(capture);
        CaptureRun run = new CaptureRun(RunCapture::refusal);
        JvmBackend backend = new JvmBackend().withEngine(engine).withTraceSink(run::trace);
        LoadOptions options = unverified ? LoadOptions.defaults().unverified() : LoadOptions.defaults();
        try (Collection loaded = load(backend, spec, options)) {
            Program program = chosen(loaded);
            CaptureRun.Result result = run.run(program, packets.packets());
            Function<String, MapDump.Types> types = name -> MapDump.Types.of(spec, layout, name);
            String where = "the jvm backend (" + engine.name().toLowerCase()
                    + (unverified ? ", unverified)" : ")");
            out.print(json ? Json.write(CaptureReport.json(packets, program, where, result, loaded, types))
                    : CaptureReport.text(packets, program, where, result, loaded, types));
            out.flush();
        }
    }

    private CollectionSpec load() throws IOException {
        try {
            return ObjectLoader.load(object);
        } catch (BpfException e) {
            throw new CliException("cannot load " + object + ": " + e.getMessage());
        }
    }

    private Collection load(JvmBackend backend, CollectionSpec spec, LoadOptions options) {
        try {
            return backend.load(spec, options);
        } catch (BpfException | UnsupportedOperationException e) {
            throw new CliException("cannot load " + object + " into the JVM: " + e.getMessage()
                    + (options.verify() ? " (--unverified runs programs the verifier has not proven safe)" : ""));
        }
    }

    private static Optional<String> refusal(BpfException e) {
        return e instanceof TestRunException t ? Optional.of(t.errno().name()) : Optional.empty();
    }

    /** The named program, or the object's only XDP or socket-filter program. */
    private Program chosen(Collection loaded) {
        if (programName != null) {
            Program p = loaded.programs().get(programName);
            if (p == null) {
                throw new CliException("no program '" + programName + "' in " + object + "; it has "
                        + loaded.programs().keySet());
            }
            return p;
        }
        List<Program> runnable = loaded.programs().values().stream()
                .filter(p -> p.type() == ProgramType.XDP || p.type() == ProgramType.SOCKET_FILTER).toList();
        if (runnable.size() != 1) {
            throw new CliException(object + " has " + runnable.size() + " XDP or socket-filter programs "
                    + runnable.stream().map(Program::name).toList() + ": choose one with --program");
        }
        return runnable.getFirst();
    }
}
