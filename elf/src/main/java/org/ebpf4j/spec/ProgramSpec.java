package org.ebpf4j.spec;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ebpf4j.btf.CoreReloKind;
import org.ebpf4j.isa.Instructions;

/**
 * A program as an object file declares it, linked and ready for a backend: its subprograms appended, calls fixed
 * up, and every reference to a map kept symbolic in {@link #mapReferences} until a backend creates the maps.
 *
 * @param name the function's name
 * @param sectionName the ELF section it came from
 * @param type program type, from the section name
 * @param expectedAttachType {@code expected_attach_type}, from the section name
 * @param attachTarget what the section name says to attach to
 * @param loadFlags {@code prog_flags} the section name implies ({@link ProgramLoadFlags})
 * @param license the object's license string
 * @param kernelVersion the object's {@code version} section, 0 without one
 * @param instructions the linked instructions; map references carry {@code src_reg} 1 or 2 and imm 0
 * @param mapReferences the map behind every lddw that needs one
 * @param functions where each function (the program and its subprograms) starts, with its BTF type
 * @param lines the source line of instructions, from {@code .BTF.ext}
 * @param coreRelocations CO-RE relocations still to be resolved against a target's BTF
 */
public record ProgramSpec(
        String name,
        String sectionName,
        ProgramType type,
        Optional<AttachType> expectedAttachType,
        AttachTarget attachTarget,
        int loadFlags,
        String license,
        int kernelVersion,
        Instructions instructions,
        List<MapReference> mapReferences,
        List<FunctionStart> functions,
        List<SourceLine> lines,
        List<CoreRelocation> coreRelocations) {

    public ProgramSpec {
        Objects.requireNonNull(name);
        Objects.requireNonNull(sectionName);
        Objects.requireNonNull(type);
        Objects.requireNonNull(expectedAttachType);
        Objects.requireNonNull(attachTarget);
        Objects.requireNonNull(license);
        Objects.requireNonNull(instructions);
        mapReferences = List.copyOf(mapReferences);
        functions = List.copyOf(functions);
        lines = List.copyOf(lines);
        coreRelocations = List.copyOf(coreRelocations);
    }

    /**
     * The lddw at {@code slot} refers to a map: to the map itself ({@code src_reg} 1) or, when {@code value}, to
     * {@code offset} bytes into its value ({@code src_reg} 2; global data).
     */
    public record MapReference(int slot, String mapName, boolean value, int offset) {}

    /** A function of the linked program starts at {@code slot}; {@code btfTypeId} is its BTF FUNC, 0 if none. */
    public record FunctionStart(int slot, String name, int btfTypeId) {}

    /** The instruction at {@code slot} comes from this source line. */
    public record SourceLine(int slot, String file, int line, int column, String text) {}

    /**
     * A CO-RE relocation of the instruction at {@code slot} of the linked program: what to compute ({@code kind}),
     * about which type of the object's own BTF, along which access path ({@code accessString}, e.g. "0:1:2").
     */
    public record CoreRelocation(int slot, CoreReloKind kind, int localTypeId, String accessString) {}
}
