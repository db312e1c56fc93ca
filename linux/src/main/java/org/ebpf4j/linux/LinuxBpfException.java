package org.ebpf4j.linux;

import java.util.Optional;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.Errno;

/**
 * A {@code bpf()} command the kernel refused, naming the command, the object and the errno:
 * {@code BPF_MAP_CREATE of map 'counts' (HASH) failed: EINVAL (22)}.
 */
public final class LinuxBpfException extends BpfException {
    private final BpfCommand command;
    private final int errno;

    public LinuxBpfException(BpfCommand command, String object, int errno) {
        this(command, errno, command.kernelName() + " of " + object + " failed: " + describe(errno));
    }

    LinuxBpfException(BpfCommand command, int errno, String message) {
        super(message);
        this.command = command;
        this.errno = errno;
    }

    public BpfCommand command() {
        return command;
    }

    /** The errno number, positive. */
    public int errnoValue() {
        return errno;
    }

    /** The errno, when Linux names it (it always should). */
    public Optional<Errno> errno() {
        return Errno.of(errno);
    }

    /** {@code EINVAL (22)}, or {@code errno 4242} for a number Linux does not define. */
    static String describe(int errno) {
        return Errno.of(errno).map(e -> e.kernelName() + " (" + errno + ")").orElse("errno " + errno);
    }
}
