package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A program attached to a socket with {@code SO_ATTACH_BPF}. Sockets have no link object, so closing detaches with
 * {@code SO_DETACH_BPF}, once. The caller owns the socket; closing the socket detaches as well.
 */
final class SocketFilterLink implements LinuxLink {
    /** {@code SOL_SOCKET} (asm-generic/socket.h, the value on x86_64 and aarch64). */
    static final int SOL_SOCKET = 1;
    /** {@code SO_ATTACH_BPF}: the option's value is a program fd. */
    static final int SO_ATTACH_BPF = 50;
    /** {@code SO_DETACH_BPF}, which the header defines as {@code SO_DETACH_FILTER}. */
    static final int SO_DETACH_BPF = 27;

    private final int socket;
    private final String description;
    private final AtomicBoolean attached = new AtomicBoolean(true);

    private SocketFilterLink(int socket, String description) {
        this.socket = socket;
        this.description = description;
    }

    static SocketFilterLink attach(Fd program, int socket, String description) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result result = Libc.SETSOCKOPT.call(socket, SOL_SOCKET, SO_ATTACH_BPF,
                    arena.allocateFrom(ValueLayout.JAVA_INT, program.value()), Integer.BYTES);
            if (result.failed()) {
                throw new LinuxAttachException("setsockopt(SO_ATTACH_BPF) of " + description, result.errno());
            }
        }
        return new SocketFilterLink(socket, description);
    }

    @Override
    public String description() {
        return description;
    }

    /** A socket filter belongs to its socket: there is no {@code bpf_link} to pin. */
    @Override
    public void pin(java.nio.file.Path path) {
        throw new UnsupportedOperationException(description + " is a socket's filter, not a bpf_link: it cannot be"
                + " pinned (pin the program instead)");
    }

    @Override
    public void close() {
        if (!attached.getAndSet(false)) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result result = Libc.SETSOCKOPT.call(socket, SOL_SOCKET, SO_DETACH_BPF,
                    arena.allocate(ValueLayout.JAVA_INT), Integer.BYTES);
            if (result.failed()) {
                throw new LinuxAttachException("setsockopt(SO_DETACH_BPF) of " + description, result.errno());
            }
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
