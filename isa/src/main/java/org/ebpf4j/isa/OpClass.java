package org.ebpf4j.isa;

/** The instruction class, bits 0-2 of the opcode. */
public enum OpClass {
    LD(Opcode.LD), LDX(Opcode.LDX), ST(Opcode.ST), STX(Opcode.STX),
    ALU(Opcode.ALU), JMP(Opcode.JMP), JMP32(Opcode.JMP32), ALU64(Opcode.ALU64);

    private static final OpClass[] BY_CODE = values();

    public final int code;

    OpClass(int code) {
        this.code = code;
    }

    public static OpClass of(int opcode) {
        return BY_CODE[Opcode.opClass(opcode)];
    }
}
