package org.ebpf4j.cli;

import org.ebpf4j.api.MapException;

/**
 * A failure of a bpftool-style command, reported as bpftool reports it: {@code Error: MESSAGE} on stderr, or
 * {@code {"error": MESSAGE}} in JSON; errno as {@code strerror} words ({@code lookup failed: No such file or
 * directory}).
 */
final class BpftoolError extends CliException {
    BpftoolError(String message) {
        super(message);
    }

    /** {@code what failed: strerror(errno)} for a map operation the backend refused. */
    static BpftoolError of(String what, MapException e) {
        return new BpftoolError(what + ": " + e.errno().description());
    }
}
