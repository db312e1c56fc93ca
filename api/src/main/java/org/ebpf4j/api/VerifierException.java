package org.ebpf4j.api;

import org.ebpf4j.isa.BpfException;

/** A program the verifier rejected: the message is the rejection, {@link #log()} the whole verifier log. */
public final class VerifierException extends BpfException {
    private final String program;
    private final String log;

    public VerifierException(String program, String reason, String log) {
        super("program '" + program + "' rejected by the verifier: " + reason);
        this.program = program;
        this.log = log;
    }

    public String program() {
        return program;
    }

    public String log() {
        return log;
    }
}
