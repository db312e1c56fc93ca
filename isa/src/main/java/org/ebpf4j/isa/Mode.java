package org.ebpf4j.isa;

/** Addressing mode of a load or store (bits 5-7 of the opcode). */
public enum Mode {
    IMM(Opcode.IMM), ABS(Opcode.ABS), IND(Opcode.IND), MEM(Opcode.MEM), MEMSX(Opcode.MEMSX),
    ATOMIC(Opcode.ATOMIC);

    public final int code;

    Mode(int code) {
        this.code = code;
    }

    /** The mode of a load/store opcode, or null for the two unassigned modes (0xa0, 0xe0). */
    public static Mode of(int opcode) {
        int m = Opcode.mode(opcode);
        for (Mode mode : values()) {
            if (mode.code == m) {
                return mode;
            }
        }
        return null;
    }
}
