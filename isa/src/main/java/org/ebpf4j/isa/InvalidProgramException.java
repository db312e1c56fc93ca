package org.ebpf4j.isa;

/** A program breaks a structural rule of the instruction set at one instruction (slot) index. */
public final class InvalidProgramException extends BpfException {
    private final int index;

    public InvalidProgramException(int index, String rule) {
        super(index < 0 ? rule : "insn " + index + ": " + rule);
        this.index = index;
    }

    /** Slot index of the offending instruction, or -1 when the rule is about the whole program. */
    public int index() {
        return index;
    }
}
