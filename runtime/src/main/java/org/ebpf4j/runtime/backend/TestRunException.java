package org.ebpf4j.runtime.backend;

import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.Errno;

/** A test run refused as {@code BPF_PROG_TEST_RUN} refuses it, with the errno the kernel returns. */
public final class TestRunException extends BpfException {
    private final Errno errno;

    TestRunException(String program, Errno errno, String reason) {
        super("test run of program '" + program + "' failed: " + errno.name() + " (" + reason + ")");
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
