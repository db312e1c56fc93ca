package org.ebpf4j.elf.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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
}
