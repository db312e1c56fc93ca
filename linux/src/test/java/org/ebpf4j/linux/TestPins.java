package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.ebpf4j.api.LoadOptions;

/**
 * A pin directory of a test's own under /sys/fs/bpf ({@code ebpf4j-test-<random>}), so that maps pinned by name
 * and explicit pins never meet another test's; {@link #close()} removes it with everything in it.
 */
final class TestPins implements AutoCloseable {
    private final Path directory;

    TestPins() {
        directory = Bpffs.DEFAULT.resolve("ebpf4j-test-" + UUID.randomUUID().toString().substring(0, 8));
        Bpffs.prepare(directory.resolve("x"), "the test pins");
    }

    Path directory() {
        return directory;
    }

    Path resolve(String name) {
        return directory.resolve(name);
    }

    /** Load options whose pin root is this directory. */
    LoadOptions options() {
        return LoadOptions.defaults().withPinPath(directory);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the test pins in " + directory, e);
        }
    }
}
