package org.ebpf4j.linux;

import org.ebpf4j.api.Link;

/**
 * A program attached in the kernel; {@link #close()} detaches it (idempotently). Most attachments are a kernel
 * link fd ({@link KernelLink}); a socket filter belongs to its socket instead ({@link SocketFilterLink}); XDP and tc
 * attached through rtnetlink are undone by another request ({@link NetlinkLink}).
 */
public sealed interface LinuxLink extends Link permits KernelLink, SocketFilterLink, NetlinkLink {
    /** What is attached where, e.g. {@code program 'count' (XDP) on ifindex 7 (BPF_XDP)}. */
    String description();
}
