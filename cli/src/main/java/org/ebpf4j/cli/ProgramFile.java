package org.ebpf4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.conformance.ConformanceSuite;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.isa.text.ubpf.UbpfAssembler;

/**
 * A program read from a file, by extension: {@code .data} is a conformance vector (program and input memory),
 * {@code .s} or {@code .asm} is assembly (the conformance dialect when it names registers {@code %rN}, the
 * llvm-objdump syntax otherwise), anything else is raw little-endian instructions.
 *
 * @param memory the input memory the file declares, or null
 */
record ProgramFile(Instructions program, byte[] memory) {

    static ProgramFile read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".data")) {
            var vector = ConformanceSuite.readDataFile(file);
            return new ProgramFile(vector.instructions(), vector.memory());
        }
        if (name.endsWith(".s") || name.endsWith(".asm")) {
            return new ProgramFile(assemble(Files.readString(file)), null);
        }
        return new ProgramFile(Instructions.decode(Files.readAllBytes(file)), null);
    }

    static Instructions assemble(String source) {
        return isConformanceDialect(source) ? UbpfAssembler.assemble(source) : Assembler.assemble(source);
    }

    /** The conformance dialect writes registers as {@code %r0}; llvm-objdump's syntax never uses '%'. */
    static boolean isConformanceDialect(String source) {
        return source.contains("%r");
    }
}
