package org.ebpf4j.linux;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@code bpf_link} fd: the kernel detaches the program when the last reference to the link goes (a pin is one).
 * For a perf event attachment, the event's fd is owned too and closed after the link.
 */
final class KernelLink implements LinuxLink {
    private final String description;
    private final Fd link;
    private final Optional<Fd> perfEvent;
    private final Pin pin = new Pin();

    KernelLink(String description, Fd link, Optional<Fd> perfEvent) {
        this.description = description;
        this.link = link;
        this.perfEvent = perfEvent;
    }

    @Override
    public String description() {
        return description;
    }

    Fd link() {
        return link;
    }

    /** Pins the link: the program stays attached after {@link #close} until the pin is removed. */
    @Override
    public void pin(Path path) {
        pin.pin(link, path, description);
    }

    @Override
    public void unpin() {
        pin.unpin(description);
    }

    @Override
    public void close() {
        try {
            link.close();
        } finally {
            perfEvent.ifPresent(Fd::close);
        }
    }

    @Override
    public String toString() {
        return description + " (link " + link + ")";
    }
}
