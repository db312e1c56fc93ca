package org.ebpf4j.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Tracepoint ids from tracefs ({@code events/CATEGORY/NAME/id}), at either place the kernel mounts it. */
final class Tracefs {
    private static final Path[] MOUNT_POINTS = {Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing")};

    private Tracefs() {}

    /** Where tracefs is mounted, if anywhere: the directory that has {@code events}. */
    static Optional<Path> root() {
        for (Path p : MOUNT_POINTS) {
            if (Files.isDirectory(p.resolve("events"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static long eventId(String category, String name) {
        Path root = root().orElseThrow(() -> new UnsupportedOperationException("tracefs is not mounted (looked at "
                + MOUNT_POINTS[0] + " and " + MOUNT_POINTS[1] + "): mount -t tracefs nodev /sys/kernel/tracing"));
        Path id = root.resolve("events").resolve(category).resolve(name).resolve("id");
        try {
            return Long.parseLong(Files.readString(id).strip());
        } catch (IOException e) {
            throw new IllegalArgumentException("no tracepoint " + category + "/" + name + " (" + id
                    + " unreadable: " + e.getMessage() + ")", e);
        }
    }
}
