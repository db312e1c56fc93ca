package org.ebpf4j.isa.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the project's shared ground truth ({@code shared/conformance}, {@code shared/verifier-corpus}), which lives
 * next to the repository rather than in it, from whatever directory a test or a command runs in.
 */
public final class SharedGroundTruth {
    private SharedGroundTruth() {}

    /** {@code shared/<name>} beside {@code start} or beside any of its parents, if it exists. */
    public static Optional<Path> locate(Path start, String name) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(name);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** As {@link #locate(Path, String)} from the working directory. */
    public static Optional<Path> locate(String name) {
        return locate(Path.of(""), name);
    }
}
