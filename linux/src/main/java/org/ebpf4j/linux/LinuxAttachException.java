package org.ebpf4j.linux;

import java.util.Optional;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.Errno;

/**
 * A system call around attaching and pinning (perf_event_open, setsockopt, open of a cgroup, mount of bpffs) that
 * the kernel refused:
 * {@code perf_event_open of tracepoint syscalls/sys_enter_getpid failed: EACCES (13)}. A refused {@code bpf()}
 * command is a {@link LinuxBpfException} instead.
 */
public final class LinuxAttachException extends BpfException {
    private final int errno;

    LinuxAttachException(String what, int errno) {
        super(what + " failed: " + LinuxBpfException.describe(errno));
        this.errno = errno;
    }

    public int errnoValue() {
        return errno;
    }

    public Optional<Errno> errno() {
        return Errno.of(errno);
    }
}
