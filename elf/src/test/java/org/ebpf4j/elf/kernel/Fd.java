package org.ebpf4j.elf.kernel;

/** A kernel file descriptor (map or program) that the test owns and closes. */
record Fd(int value) implements AutoCloseable {
    @Override
    public void close() {
        Syscalls.close(value);
    }
}
