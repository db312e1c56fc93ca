package org.ebpf4j.linux;

import java.util.Optional;

/**
 * A {@code bpf_link} fd: the kernel detaches the program when the last reference to the link goes. For a perf
 * event attachment, the event's fd is owned too and closed after the link.
 */
record KernelLink(String description, Fd link, Optional<Fd> perfEvent) implements LinuxLink {
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
