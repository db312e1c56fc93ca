package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.ebpf4j.runtime.conformance.ConformanceRunner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", description = {
        "Runs a program and prints r0 in hex.",
        "r1 points to a copy of the input memory (0 without one) and r2 holds its length; helper 5 returns r1.",
        "With --pcap: runs the XDP or socket-filter program of a clang object over",
        "every packet of a pcap or pcapng capture (one BPF_PROG_TEST_RUN each) and",
        "prints the action counts, the trace_printk lines and every map; with --kernel",
        "the program is loaded into and run by the running kernel."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE",
            description = "Raw instructions (.bin), assembly (.s, .asm), a conformance vector (.data), or with --pcap"
                    + " a clang-compiled BPF object (.o).")
    Path file;

    @Option(names = "--pcap", paramLabel = "CAPTURE", description = "A pcap or pcapng capture of Ethernet frames.")
    Path pcap;

    @Option(names = "--program", paramLabel = "NAME",
            description = "With --pcap: the program (default: the object's only XDP or socket-filter program).")
    String program;

    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "With --pcap: sets an integer global variable (a const volatile in .rodata) before loading.")
    Map<String, String> globals = new LinkedHashMap<>();

    @Option(names = "--unverified", description = "With --pcap: loads without verification (the JVM backend has no"
            + " verifier yet, so programs load only with it).")
    boolean unverified;

    @Option(names = "--kernel", description = "With --pcap: loads the object into the running kernel (verified by"
            + " it) and runs the capture there; trace_printk lines stay in the kernel's trace_pipe.")
    boolean kernel;

    @Option(names = {"-j", "--json"}, description = "With --pcap: JSON output.")
    boolean json;

    @ArgGroup(exclusive = true)
    Input input;

    static final class Input {
        @Option(names = "--mem", paramLabel = "HEX", description = "Input memory as hex bytes.")
        String hex;

        @Option(names = "--data", paramLabel = "FILE", description = "Input memory read from a file.")
        Path file;
    }

    @Mixin
    EngineOption engine;

    @Override
    public Integer call() throws Exception {
        if (pcap != null) {
            if (input != null) {
                throw new CliException("--mem and --data give a raw program its memory; --pcap gives packets");
            }
            if (kernel && (unverified || spec.commandLine().getParseResult().hasMatchedOption("--engine"))) {
                throw new CliException("--unverified and --engine say how the JVM runs the program; with --kernel"
                        + " the kernel verifies and runs it");
            }
            new RunCapture(file, pcap, program, globals, unverified, engine.engine, json, kernel)
                    .run(spec.commandLine().getOut());
            return 0;
        }
        if (program != null || !globals.isEmpty() || unverified || json || kernel) {
            throw new CliException("--program, --set, --unverified, --kernel and --json apply with --pcap only");
        }
        ProgramFile code = ProgramFile.read(file);
        byte[] memory;
        if (input != null && input.hex != null) {
            memory = Hex.parse("--mem", input.hex);
        } else if (input != null) {
            memory = Files.readAllBytes(input.file);
        } else {
            memory = code.memory() == null ? new byte[0] : code.memory();
        }
        long r0 = new ConformanceRunner(engine.engine).execute(code.program(), memory);
        spec.commandLine().getOut().printf("0x%x%n", r0);
        return 0;
    }
}
