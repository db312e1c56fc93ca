package org.ebpf4j.linux;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A kernel file descriptor (map or program) owned by one Java object. Closing is idempotent and thread-safe: the
 * number is closed exactly once, so a later reuse of the same number by the kernel is never closed by mistake.
 */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = -1;

    private final AtomicInteger value;

    Fd(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + value);
        }
        this.value = new AtomicInteger(value);
    }

    /** The descriptor's number; an {@link IllegalStateException} once closed. */
    public int value() {
        int v = value.get();
        if (v == CLOSED) {
            throw new IllegalStateException("file descriptor already closed");
        }
        return v;
    }

    public boolean isClosed() {
        return value.get() == CLOSED;
    }

    @Override
    public void close() {
        int v = value.getAndSet(CLOSED);
        if (v != CLOSED) {
            Syscalls.close(v);
        }
    }

    @Override
    public String toString() {
        int v = value.get();
        return v == CLOSED ? "fd (closed)" : "fd " + v;
    }
}
