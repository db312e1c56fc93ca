package org.ebpf4j.runtime;

import org.ebpf4j.isa.BpfException;

/** A running program was stopped: a bad memory access, an unknown helper, a too-deep call chain. */
public final class ProgramFault extends BpfException {
    private final int index;

    public ProgramFault(int index, String message) {
        super("insn " + index + ": " + message);
        this.index = index;
    }

    /** Slot index of the instruction that faulted. */
    public int index() {
        return index;
    }
}
