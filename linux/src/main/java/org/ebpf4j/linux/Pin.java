package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where one object (map, program, link) is pinned, if anywhere. As in libbpf, an object has at most one pin:
 * pinning it again at the same path does nothing, at another path is an error.
 */
final class Pin {
    private final AtomicReference<Path> path = new AtomicReference<>();

    void pin(Fd object, Path at, String describe) {
        Path current = path.get();
        if (current != null) {
            if (current.equals(at)) {
                return;
            }
            throw new IllegalStateException(describe + " is already pinned at " + current + "; unpin it first");
        }
        Bpffs.prepare(at, describe);
        ObjectCommands.pin(object, at, describe);
        path.set(at);
    }

    /** Records a pin made elsewhere (a map pinned by name at load, or reused from its pin). */
    void pinnedAt(Path at) {
        path.set(at);
    }

    void unpin(String describe) {
        Path at = path.getAndSet(null);
        if (at == null) {
            throw new IllegalStateException(describe + " is not pinned");
        }
        try {
            Files.deleteIfExists(at);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pin of " + describe + " at " + at, e);
        }
    }

    Optional<Path> path() {
        return Optional.ofNullable(path.get());
    }
}
