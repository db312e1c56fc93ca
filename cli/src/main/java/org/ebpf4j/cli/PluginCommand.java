package org.ebpf4j.cli;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.conformance.ConformanceRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plugin", description = {
        "The bpf_conformance plugin protocol: reads a program as hex bytes on stdin, runs it on MEMORY_HEX,",
        "prints r0 in hex and exits 0; or prints the error on stderr and exits 1."})
final class PluginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MEMORY_HEX", arity = "0..1", defaultValue = "", description = "Input memory.")
    String memory;

    @Mixin
    EngineOption engine;

    @Override
    public Integer call() throws Exception {
        byte[] code = Hex.parse("program on stdin", new String(System.in.readAllBytes(), StandardCharsets.US_ASCII));
        byte[] input = Hex.parse("memory", memory);
        long r0 = new ConformanceRunner(engine.engine).execute(Instructions.decode(code), input);
        spec.commandLine().getOut().println(Long.toHexString(r0));
        return 0;
    }
}
