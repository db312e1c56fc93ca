package org.ebpf4j.elf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed clang objects of fixtures/ (built by fixtures/build.sh) and their llvm-readelf listings. */
final class Fixtures {
    static final Path ROOT = Path.of("..", "fixtures");

    private Fixtures() {}

    /** Every committed object, by name without {@code .o}, sorted. */
    static List<String> objects() {
        try (Stream<Path> files = Files.list(ROOT.resolve("obj"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".o"))
                    .map(n -> n.substring(0, n.length() - 2))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String object) {
        try {
            return Files.readAllBytes(ROOT.resolve("obj").resolve(object + ".o"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ElfFile read(String object) {
        return ElfFile.read(object + ".o", bytes(object));
    }

    static ReadelfListing readelf(String object) {
        try {
            return ReadelfListing.parse(Files.readString(ROOT.resolve("expected").resolve(object + ".readelf")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
