package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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
        "r1 points to a copy of the input memory (0 without one) and r2 holds its length; helper 5 returns r1."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE",
            description = "Raw instructions (.bin), assembly (.s, .asm) or a conformance vector (.data).")
    Path file;

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
        ProgramFile program = ProgramFile.read(file);
        byte[] memory;
        if (input != null && input.hex != null) {
            memory = Hex.parse("--mem", input.hex);
        } else if (input != null) {
            memory = Files.readAllBytes(input.file);
        } else {
            memory = program.memory() == null ? new byte[0] : program.memory();
        }
        long r0 = new ConformanceRunner(engine.engine).execute(program.program(), memory);
        spec.commandLine().getOut().printf("0x%x%n", r0);
        return 0;
    }
}
