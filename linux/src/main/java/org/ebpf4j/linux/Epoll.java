package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import org.ebpf4j.spec.Errno;

/** An epoll instance watching fds for input: how buffer readers sleep until the kernel has written something. */
final class Epoll implements AutoCloseable {
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    /** {@code struct epoll_event}: 12 bytes packed on x86_64, 16 on aarch64; room for either. */
    private static final int EVENT_SIZE = 16;

    private final Fd fd;
    private final String name;

    private Epoll(Fd fd, String name) {
        this.fd = fd;
        this.name = name;
    }

    /** A new instance, {@code name} (the reader it serves) naming it in errors. */
    static Epoll create(String name) {
        Syscalls.Result created = Libc.EPOLL_CREATE1.call(EPOLL_CLOEXEC);
        if (created.failed()) {
            throw new LinuxAttachException("epoll_create1 for " + name, created.errno());
        }
        return new Epoll(new Fd((int) created.value()), name);
    }

    /** Watches {@code watched} for input (level-triggered: readable as long as data is there). */
    void add(Fd watched) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EVENT_SIZE);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
            Syscalls.Result added = Libc.EPOLL_CTL.call(fd.value(), EPOLL_CTL_ADD, watched.value(), event);
            if (added.failed()) {
                throw new LinuxAttachException("epoll_ctl(EPOLL_CTL_ADD) of " + name, added.errno());
            }
        }
    }

    /** Sleeps until a watched fd has input or {@code timeout} passes; a signal ends the wait early too. */
    void await(Duration timeout) {
        try (Arena arena = Arena.ofConfined()) {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            Syscalls.Result ready = Libc.EPOLL_WAIT.call(fd.value(), arena.allocate(EVENT_SIZE), 1, millis);
            if (ready.failed() && ready.errno() != Errno.EINTR.value()) {
                throw new LinuxAttachException("epoll_wait on " + name, ready.errno());
            }
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
