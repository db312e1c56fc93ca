package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.ProgramSpec;

/** The committed clang objects of {@code fixtures/obj} that this machine's kernel can load: the little-endian ones. */
final class FixtureObjects {
    static final Path DIRECTORY = Path.of("..", "fixtures", "obj");

    private FixtureObjects() {}

    /** Every little-endian fixture object, sorted by name ({@code *.bpfeb.*} objects are for big-endian kernels). */
    static List<Path> littleEndian() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".o"))
                    .filter(p -> !p.getFileName().toString().contains(".bpfeb."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CollectionSpec load(String object) {
        try {
            return ObjectLoader.load(DIRECTORY.resolve(object));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The collection with one program and all its maps, so that each program loads (and fails) on its own.
     * Prog-array slots naming other programs are dropped: an empty slot does not change what the verifier accepts.
     */
    static CollectionSpec withOnly(CollectionSpec collection, ProgramSpec program) {
        Map<String, MapSpec> maps = new java.util.LinkedHashMap<>();
        for (MapSpec m : collection.maps().values()) {
            List<MapSpec.MapEntry> kept = m.contents().stream()
                    .filter(e -> !(e instanceof MapSpec.MapEntry.Program p) || p.programName().equals(program.name()))
                    .toList();
            maps.put(m.name(), m.withContents(kept));
        }
        return new CollectionSpec(collection.name(), Map.of(program.name(), program), maps,
                collection.kconfigExterns(), collection.btf(), collection.byteOrder());
    }
}
