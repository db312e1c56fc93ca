package org.ebpf4j.api;

/** A program attached to an event; closing it detaches the program. */
public interface Link extends AutoCloseable {
    @Override
    void close();
}
