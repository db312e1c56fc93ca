package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.isa.text.SymbolTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "disasm", description = {
        "Disassembles raw instructions as llvm-objdump -d prints them (slot, bytes, text).",
        "--text prints only the instructions, in the form 'asm' reads back to the same bytes."})
final class DisasmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Raw little-endian instructions (.bin), or hex with --hex.")
    Path file;

    @Option(names = "--hex", description = "FILE holds hex text rather than raw bytes.")
    boolean hex;

    @Option(names = "--text", description = "Instructions only, lossless (assembler input).")
    boolean text;

    @Override
    public Integer call() throws Exception {
        byte[] bytes = hex ? Hex.parse(file.toString(), Files.readString(file)) : Files.readAllBytes(file);
        Instructions program = Instructions.decode(bytes);
        String name = file.getFileName().toString();
        spec.commandLine().getOut().print(text ? Disassembler.lossless().disassemble(program)
                : Disassembler.llvmObjdump().listing(program, SymbolTable.sectionOnly(name)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
