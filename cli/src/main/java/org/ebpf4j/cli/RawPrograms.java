package org.ebpf4j.cli;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.SectionMatch;
import org.ebpf4j.spec.SectionNames;

/**
 * A program given as raw instructions (or assembly, see {@link ProgramFile}) as a collection of one program, its
 * type named the way libbpf's {@code SEC()} names it, since a raw file carries no section. Map references cannot be
 * expressed without an object, so the collection has no maps.
 */
final class RawPrograms {
    private RawPrograms() {}

    static CollectionSpec collection(Path file, String section) throws IOException {
        if (section == null) {
            throw new CliException(file + " is not an ELF object: give its program type with --type, as a libbpf "
                    + "SEC() name (xdp, socket, tc, kprobe/FUNC, cgroup_skb/ingress, ...)");
        }
        if (!(SectionNames.resolve(section) instanceof SectionMatch.Known known)) {
            throw new CliException("--type " + section + ": not a program type libbpf knows as a SEC() name");
        }
        String name = stripExtension(file.getFileName().toString());
        ProgramSpec program = new ProgramSpec(name, section, known.programType(), known.expectedAttachType(),
                known.target(), known.definition().programLoadFlags(), "GPL", 0,
                ProgramFile.read(file).program(), List.of(), List.of(), List.of(), List.of());
        return new CollectionSpec(name, Map.of(name, program), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
