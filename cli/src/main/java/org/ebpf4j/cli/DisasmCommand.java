package org.ebpf4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.isa.text.SymbolTable;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "disasm", description = {
        "Disassembles raw instructions, or every program of an ELF object (linked, map references named),",
        "as llvm-objdump -d prints them (slot, bytes, text). --text prints only the instructions, in the form",
        "'asm' reads back to the same bytes."})
final class DisasmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "An ELF object (.o), raw little-endian instructions, or hex with --hex.")
    Path file;

    @Option(names = "--hex", description = "FILE holds hex text rather than raw bytes.")
    boolean hex;

    @Option(names = "--text", description = "Instructions only, lossless (assembler input).")
    boolean text;

    @Option(names = "--section", paramLabel = "S", description = "ELF objects: only the programs of section S.")
    String section;

    @Option(names = {"-S", "--source"}, description = "ELF objects: interleave source lines (from .BTF.ext).")
    boolean source;

    @Override
    public Integer call() throws Exception {
        byte[] bytes = hex ? Hex.parse(file.toString(), Files.readString(file)) : Files.readAllBytes(file);
        var out = spec.commandLine().getOut();
        if (ObjectFiles.isElf(bytes)) {
            out.print(disassembleObject(bytes));
        } else {
            Instructions program = Instructions.decode(bytes);
            String name = file.getFileName().toString();
            out.print(text ? Disassembler.lossless().disassemble(program)
                    : Disassembler.llvmObjdump().listing(program, SymbolTable.sectionOnly(name)));
        }
        out.flush();
        return 0;
    }

    private String disassembleObject(byte[] bytes) {
        CollectionSpec collection = ObjectLoader.load(file.getFileName().toString(), bytes);
        List<ProgramSpec> programs = collection.programs().values().stream()
                .filter(p -> section == null || p.sectionName().equals(section))
                .toList();
        if (programs.isEmpty()) {
            throw new CliException(file + ": no program" + (section == null ? "" : " in section '" + section + "'"));
        }
        StringBuilder out = new StringBuilder();
        for (ProgramSpec p : programs) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(text ? Disassembler.lossless().disassemble(p.instructions()) : ObjectListing.program(p, source));
        }
        return out.toString();
    }
}
