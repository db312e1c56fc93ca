package org.ebpf4j.isa;

import java.nio.ByteBuffer;

/**
 * One eBPF instruction, as encoded: an 8-bit opcode, 4-bit destination and source registers, a signed 16-bit
 * offset and an immediate. For {@code lddw} the immediate holds all 64 bits and the instruction takes two slots;
 * for every other instruction it is the sign-extended 32-bit field.
 *
 * <p>A record can hold any encodable value, including ones the structural check rejects: decoding reports such
 * instructions rather than refusing to represent them.
 */
public record Instruction(int opcode, int dst, int src, int offset, long imm) {

    /** Bytes per slot. */
    public static final int SIZE = 8;

    public Instruction {
        if (opcode < 0 || opcode > 0xff) {
            throw new IllegalArgumentException("opcode out of range: " + opcode);
        }
        if (dst < 0 || dst > 0xf || src < 0 || src > 0xf) {
            throw new IllegalArgumentException("register field out of range: dst=" + dst + " src=" + src);
        }
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("offset out of 16-bit range: " + offset);
        }
        if (opcode != Opcode.LDDW && (imm < Integer.MIN_VALUE || imm > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("immediate out of 32-bit range: " + imm);
        }
    }

    public boolean isLddw() {
        return opcode == Opcode.LDDW;
    }

    /** 2 for lddw, 1 for everything else. */
    public int slots() {
        return isLddw() ? 2 : 1;
    }

    public OpClass opClass() {
        return OpClass.of(opcode);
    }

    /** The immediate's low 32 bits (the whole field for every instruction but lddw). */
    public int imm32() {
        return (int) imm;
    }

    /** True when the operand is the immediate (source bit K) rather than src_reg. */
    public boolean usesImmediate() {
        return Opcode.source(opcode) == Opcode.K;
    }

    public boolean isExit() {
        return opcode == (Opcode.JMP | Opcode.EXIT);
    }

    public boolean isHelperCall() {
        return opcode == (Opcode.JMP | Opcode.CALL) && src == Opcode.CALL_HELPER;
    }

    public boolean isLocalCall() {
        return opcode == (Opcode.JMP | Opcode.CALL) && src == Opcode.CALL_LOCAL;
    }

    /** JMP | JA (goto) or JMP32 | JA (gotol): the jumps that always branch. */
    public boolean isGoto() {
        return opcode == (Opcode.JMP | Opcode.JA) || opcode == (Opcode.JMP32 | Opcode.JA);
    }

    /** True when control may go on to the next instruction: for all but exit and the gotos. */
    public boolean fallsThrough() {
        return !isExit() && !isGoto();
    }

    /** JMP32 | JA (gotol) jumps by imm; every other jump by offset. */
    public boolean isLongJump() {
        return opcode == (Opcode.JMP32 | Opcode.JA);
    }

    /**
     * True for instructions that transfer control to {@code slot + 1 + displacement}: jumps other than CALL and
     * EXIT, and local calls.
     */
    public boolean hasBranchTarget() {
        if (isLocalCall()) {
            return true;
        }
        if (!Opcode.isJump(opcode)) {
            return false;
        }
        int code = Opcode.code(opcode);
        return code != Opcode.CALL && code != Opcode.EXIT;
    }

    /** True for jumps that transfer control inside the subprogram: {@link #hasBranchTarget()} but no local call. */
    public boolean isBranch() {
        return hasBranchTarget() && !isLocalCall();
    }

    /**
     * Where this branch or local call at {@code slot} transfers control, {@code slot + 1 + displacement}: for a
     * program that passed the structure check, whose targets are all slots of the program.
     */
    public int branchTarget(int slot) {
        return slot + 1 + displacement();
    }

    /** The relative displacement of a branch: imm for local calls and gotol, offset otherwise. */
    public int displacement() {
        return isLocalCall() || isLongJump() ? imm32() : offset;
    }

    /** This instruction with another branch displacement (in the field that carries it). */
    public Instruction withDisplacement(int displacement) {
        return isLocalCall() || isLongJump()
                ? new Instruction(opcode, dst, src, offset, displacement)
                : new Instruction(opcode, dst, src, displacement, imm);
    }

    /** Writes this instruction's slot(s) into a buffer, in the buffer's byte order. */
    public void encodeTo(ByteBuffer out) {
        boolean little = out.order() == java.nio.ByteOrder.LITTLE_ENDIAN;
        out.put((byte) opcode);
        out.put((byte) (little ? (src << 4 | dst) : (dst << 4 | src)));
        out.putShort((short) offset);
        out.putInt((int) imm);
        if (isLddw()) {
            out.putLong(0);
            out.position(out.position() - 4);
            out.putInt((int) (imm >>> 32));
        }
    }

    @Override
    public String toString() {
        return String.format("Instruction[op=0x%02x dst=r%d src=r%d off=%d imm=%d]", opcode, dst, src, offset, imm);
    }
}
