package org.ebpf4j.api;

/** A program attached to an event; closing it detaches the program. */
public interface Link extends AutoCloseable {
    /**
     * Pins the link in the BPF filesystem at {@code path}: the attachment then stays after {@link #close} and after
     * this process ends, until the pin is removed. Only the kernel backend has a bpffs; others throw
     * {@link UnsupportedOperationException}.
     */
    default void pin(java.nio.file.Path path) {
        throw new UnsupportedOperationException("pinning needs the kernel backend; " + this + " cannot be pinned");
    }

    /** Removes the pin {@link #pin} made; the object itself stays. */
    default void unpin() {
        throw new UnsupportedOperationException("pinning needs the kernel backend; " + this + " is not pinned");
    }

    @Override
    void close();
}
