package org.ebpf4j.cli;

/** A failure the command line reports in one line (bad input, not a usage error). */
class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
