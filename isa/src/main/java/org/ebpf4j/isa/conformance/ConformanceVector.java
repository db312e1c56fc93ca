package org.ebpf4j.isa.conformance;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.ebpf4j.isa.Instructions;

/**
 * One RFC 9669 conformance test: a program, the memory r1 points to when it starts, and what it must return.
 *
 * <p>The program is kept as the bytes the vector gives (little-endian, 8 bytes per slot), because vectors may
 * hold deliberately odd programs that {@link Instructions} would refuse or normalise; {@link #instructions()}
 * decodes them on demand.
 *
 * @param name           the file name without {@code .data} (the TSV's name column, likewise trimmed)
 * @param program        the program bytes
 * @param memory         the input memory, empty when the vector declares none (r1 is then 0)
 * @param expectedR0     r0 on exit, from {@code -- result}; 0 when the vector declares no result
 * @param expectedError  the {@code -- error} text when the program must fail to load or run
 * @param source         where the program bytes came from
 * @param assembly       the {@code -- asm} text, when the vector comes from a {@code .data} file that has one
 * @param otherSections  every other section by name, verbatim: {@code c} (the C the program was compiled from),
 *                       {@code no register offset} (a runner hint, with its body), and any future kind
 */
public record ConformanceVector(String name, byte[] program, byte[] memory, long expectedR0,
        Optional<String> expectedError, ProgramSource source, Optional<String> assembly,
        Map<String, String> otherSections) {

    public ConformanceVector {
        Objects.requireNonNull(name);
        program = program.clone();
        memory = memory.clone();
        Objects.requireNonNull(expectedError);
        Objects.requireNonNull(source);
        Objects.requireNonNull(assembly);
        otherSections = Map.copyOf(otherSections);
    }

    @Override
    public byte[] program() {
        return program.clone();
    }

    @Override
    public byte[] memory() {
        return memory.clone();
    }

    /** Decodes the program; throws {@link org.ebpf4j.isa.InvalidProgramException} for undecodable bytes. */
    public Instructions instructions() {
        return Instructions.decode(program);
    }

    public boolean expectsError() {
        return expectedError.isPresent();
    }

    /** The program as the bpf_conformance plugin protocol and the corpus write it: lower-case hex. */
    public String programHex() {
        return HexFormat.of().formatHex(program);
    }

    public String memoryHex() {
        return HexFormat.of().formatHex(memory);
    }

    // Arrays compare by identity in a record's generated methods; vectors compare by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof ConformanceVector v && name.equals(v.name) && Arrays.equals(program, v.program)
                && Arrays.equals(memory, v.memory) && expectedR0 == v.expectedR0
                && expectedError.equals(v.expectedError) && source == v.source && assembly.equals(v.assembly)
                && otherSections.equals(v.otherSections);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(program), Arrays.hashCode(memory), expectedR0, expectedError,
                source, assembly, otherSections);
    }

    @Override
    public String toString() {
        return "ConformanceVector[" + name + ", " + program.length / 8 + " slots from " + source + ", memory "
                + memory.length + " bytes, expect " + expectedError.map(e -> "error '" + e + "'")
                        .orElse("r0=0x" + Long.toHexString(expectedR0)) + "]";
    }
}
