package org.ebpf4j.isa;

/** Jump operations (bits 4-7 of a JMP or JMP32 opcode), including CALL and EXIT. */
public enum JumpOp {
    JA(Opcode.JA), JEQ(Opcode.JEQ), JGT(Opcode.JGT), JGE(Opcode.JGE), JSET(Opcode.JSET), JNE(Opcode.JNE),
    JSGT(Opcode.JSGT), JSGE(Opcode.JSGE), CALL(Opcode.CALL), EXIT(Opcode.EXIT), JLT(Opcode.JLT),
    JLE(Opcode.JLE), JSLT(Opcode.JSLT), JSLE(Opcode.JSLE);

    private static final JumpOp[] BY_CODE = new JumpOp[16];

    static {
        for (JumpOp op : values()) {
            BY_CODE[op.code >> 4] = op;
        }
    }

    public final int code;

    JumpOp(int code) {
        this.code = code;
    }

    /** The operation of a JMP/JMP32 opcode, or null for the two unassigned codes. */
    public static JumpOp of(int opcode) {
        return BY_CODE[Opcode.code(opcode) >> 4];
    }

    /** True for the comparisons that branch on a condition (everything but JA, CALL and EXIT). */
    public boolean isConditional() {
        return this != JA && this != CALL && this != EXIT;
    }
}
