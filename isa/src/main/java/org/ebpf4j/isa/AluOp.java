package org.ebpf4j.isa;

/** Arithmetic operations (bits 4-7 of an ALU or ALU64 opcode). */
public enum AluOp {
    ADD(Opcode.ADD), SUB(Opcode.SUB), MUL(Opcode.MUL), DIV(Opcode.DIV), OR(Opcode.OR), AND(Opcode.AND),
    LSH(Opcode.LSH), RSH(Opcode.RSH), NEG(Opcode.NEG), MOD(Opcode.MOD), XOR(Opcode.XOR), MOV(Opcode.MOV),
    ARSH(Opcode.ARSH), END(Opcode.END);

    private static final AluOp[] BY_CODE = new AluOp[16];

    static {
        for (AluOp op : values()) {
            BY_CODE[op.code >> 4] = op;
        }
    }

    public final int code;

    AluOp(int code) {
        this.code = code;
    }

    /** The operation of an ALU/ALU64 opcode, or null for the two unassigned codes. */
    public static AluOp of(int opcode) {
        return BY_CODE[Opcode.code(opcode) >> 4];
    }
}
