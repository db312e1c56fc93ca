package org.ebpf4j.linux;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attachment made through rtnetlink (XDP by {@code IFLA_XDP}, a tc bpf filter on the clsact qdisc): the
 * kernel keeps no {@code bpf_link} for it, so {@link #close()} undoes it with the opposite request, once.
 */
final class NetlinkLink implements LinuxLink {
    private final String description;
    private final Runnable detach;
    private final AtomicBoolean attached = new AtomicBoolean(true);

    NetlinkLink(String description, Runnable detach) {
        this.description = description;
        this.detach = detach;
    }

    @Override
    public String description() {
        return description;
    }

    /** Not a {@code bpf_link}: there is nothing to pin. */
    @Override
    public void pin(java.nio.file.Path path) {
        throw new UnsupportedOperationException(description + " was made through netlink, not a bpf_link: it cannot"
                + " be pinned (pin the program instead)");
    }

    @Override
    public void close() {
        if (attached.getAndSet(false)) {
            detach.run();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
