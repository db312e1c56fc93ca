package org.ebpf4j.runtime;

import org.ebpf4j.isa.BpfException;

/** A running program was stopped: a bad memory access, an unknown helper, a too-deep call chain. */
public final class ProgramFault extends BpfException {
    private final int index;
    private final String reason;
    private final boolean named;

    public ProgramFault(int index, String message) {
        super("insn " + index + ": " + message);
        this.index = index;
        this.reason = message;
        this.named = false;
    }

    private ProgramFault(String program, int index, String reason, ProgramFault cause) {
        super("program '" + program + "' stopped at insn " + index + ": " + reason, cause);
        this.index = index;
        this.reason = reason;
        this.named = true;
    }

    /** Slot index of the instruction that faulted. */
    public int index() {
        return index;
    }

    /** Why the program stopped, without the instruction. */
    public String reason() {
        return reason;
    }

    /**
     * The same fault, its message naming the program (engines know instructions, not names); a fault that names
     * its program already (one raised in a tail call's target) stays as it is.
     */
    public ProgramFault in(String program) {
        return named ? this : new ProgramFault(program, index, reason, this);
    }
}
