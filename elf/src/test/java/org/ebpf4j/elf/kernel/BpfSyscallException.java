package org.ebpf4j.elf.kernel;

import org.ebpf4j.spec.Errno;

/** A failed {@code bpf()} command: which one, on what, and the errno name. */
final class BpfSyscallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    BpfSyscallException(String command, String what, int errno) {
        super(command + " of " + what + " failed: " + describe(errno));
        this.errno = errno;
    }

    int errno() {
        return errno;
    }

    static String describe(int errno) {
        return Errno.of(errno).map(e -> e.kernelName() + " (" + e.description() + ")").orElse("errno " + errno);
    }
}
