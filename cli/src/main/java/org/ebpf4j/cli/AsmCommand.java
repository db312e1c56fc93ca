package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.ebpf4j.isa.Instructions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "asm", description = {
        "Assembles a program written in llvm-objdump's BPF syntax (or the conformance dialect, %%rN registers).",
        "Writes raw little-endian instructions to -o, or hex to stdout."})
final class AsmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Assembly source ('-' for stdin).")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Write the raw bytes here.")
    Path output;

    @Override
    public Integer call() throws Exception {
        String text = source.equals("-") ? new String(System.in.readAllBytes()) : Files.readString(Path.of(source));
        Instructions program = ProgramFile.assemble(text);
        byte[] bytes = program.encode();
        if (output != null) {
            Files.write(output, bytes);
        } else {
            spec.commandLine().getOut().println(HexFormat.of().formatHex(bytes));
        }
        return 0;
    }
}
