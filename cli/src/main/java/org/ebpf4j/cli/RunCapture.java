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
import org.ebpf4j.linux.BpfCommand;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.pcap.Capture;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.TestRunException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.elf.ObjectLoader;

/**
 * {@code run FILE.o --pcap CAPTURE}: loads the object into this JVM (verified unless {@code --unverified}), or with
 * {@code --kernel} into the running kernel, sets the requested global variables first, runs the chosen program over
 * the capture and prints the report. The kernel writes {@code trace_printk} lines to tracefs, not to this process,
 * so a kernel run reports them as not collected.
 */
record RunCapture(Path object, Path capture, String programName, Map<String, String> globals, boolean unverified,
                  Engine engine, boolean json, boolean kernel) {
    static final String KERNEL_BACKEND = "the kernel backend";

    void run(PrintWriter out) throws IOException {
        CollectionSpec asWritten = load();
        GlobalDataLayout layout = GlobalDataLayout.of(object);
        CollectionSpec spec = GlobalVariables.set(asWritten, layout, globals);
        Capture packets = Capture.read(capture);
        CaptureRun run = new CaptureRun(refusals(kernel));
        try (Collection loaded = kernel ? loadIntoKernel(spec) : loadIntoJvm(run, spec)) {
            Program program = chosen(loaded);
            CaptureRun.Result result = run.run(program, packets.packets());
            report(packets, program, where(kernel, engine, unverified), result, !kernel, loaded, spec, layout, json,
                    out);
        }
    }

    /** How the report names the backend: {@link #KERNEL_BACKEND}, or the JVM's with its engine. */
    static String where(boolean kernel, Engine engine, boolean unverified) {
        return kernel ? KERNEL_BACKEND : "the jvm backend (" + engine.name().toLowerCase()
                + (unverified ? ", unverified)" : ")");
    }

    /** Which failures of a test run on the backend are its refusals of a packet (counted, not fatal). */
    static Function<BpfException, Optional<String>> refusals(boolean kernel) {
        return kernel ? RunCapture::kernelRefusal : RunCapture::refusal;
    }

    /** Prints the report of a run over {@code packets}, with every map of {@code loaded} read through its BTF. */
    static void report(Capture packets, Program program, String where, CaptureRun.Result result,
                       boolean traceCollected, Collection loaded, CollectionSpec spec, GlobalDataLayout layout,
                       boolean json, PrintWriter out) {
        Function<String, MapDump.Types> types = name -> MapDump.Types.of(spec, layout, name);
        out.print(json ? Json.write(CaptureReport.json(packets, program, where, result, traceCollected, loaded, types))
                : CaptureReport.text(packets, program, where, result, traceCollected, loaded, types));
        out.flush();
    }

    private CollectionSpec load() throws IOException {
        try {
            return ObjectLoader.load(object);
        } catch (BpfException e) {
            throw new CliException("cannot load " + object + ": " + e.getMessage());
        }
    }

    private Collection loadIntoJvm(CaptureRun run, CollectionSpec spec) {
        JvmBackend backend = new JvmBackend().withEngine(engine).withTraceSink(run::trace);
        LoadOptions options = unverified ? LoadOptions.defaults().unverified() : LoadOptions.defaults();
        try {
            return backend.load(spec, options);
        } catch (BpfException | UnsupportedOperationException e) {
            throw new CliException("cannot load " + object + " into the JVM: " + e.getMessage()
                    + (options.verify() ? " (--unverified runs programs the verifier has not proven safe)" : ""));
        }
    }

    /** A bpf() that is not permitted is {@link LinuxBackend#open}'s one-line {@link LinuxBpfException}. */
    private Collection loadIntoKernel(CollectionSpec spec) {
        LinuxBackend backend;
        try {
            backend = LinuxBackend.open();
        } catch (UnsupportedOperationException e) {
            throw new CliException(e.getMessage());
        }
        try {
            return backend.load(spec, LoadOptions.defaults());
        } catch (BpfException e) {
            throw new CliException("cannot load " + object + " into the kernel: " + e.getMessage());
        }
    }

    private static Optional<String> refusal(BpfException e) {
        return e instanceof TestRunException t ? Optional.of(t.errno().name()) : Optional.empty();
    }

    private static Optional<String> kernelRefusal(BpfException e) {
        return e instanceof LinuxBpfException l && l.command() == BpfCommand.PROG_TEST_RUN
                ? Optional.of(l.errno().map(Enum::name).orElse("errno " + l.errnoValue())) : Optional.empty();
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
