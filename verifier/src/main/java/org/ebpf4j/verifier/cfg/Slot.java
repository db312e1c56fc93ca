package org.ebpf4j.verifier.cfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Opcode;

/**
 * One raw 8-byte {@code struct bpf_insn}, exactly as the kernel's structural passes see it: the second half of an
 * lddw is a slot of its own (opcode 0), and nothing is validated, so that malformed programs get the kernel's
 * messages instead of a decoding error.
 */
public record Slot(int code, int dst, int src, int off, int imm) {

    /** The program's slots, little endian. */
    public static Slot[] decode(byte[] code) {
        ByteBuffer in = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        Slot[] slots = new Slot[code.length / Instruction.SIZE];
        for (int i = 0; i < slots.length; i++) {
            int opcode = in.get() & 0xff;
            int regs = in.get() & 0xff;
            slots[i] = new Slot(opcode, regs & 0xf, regs >>> 4, in.getShort(), in.getInt());
        }
        return slots;
    }

    public int opClass() {
        return Opcode.opClass(code);
    }

    public boolean isLddw() {
        return code == Opcode.LDDW;
    }

    public boolean isJumpClass() {
        return opClass() == Opcode.JMP || opClass() == Opcode.JMP32;
    }

    public boolean isCall() {
        return code == (Opcode.JMP | Opcode.CALL);
    }

    public boolean isExit() {
        return code == (Opcode.JMP | Opcode.EXIT);
    }

    public boolean isLocalCall() {
        return isCall() && src == Opcode.CALL_LOCAL;
    }

    public boolean isKfuncCall() {
        return isCall() && src == Opcode.CALL_KFUNC;
    }

    /** lddw of a subprogram's address (BPF_PSEUDO_FUNC): the subprogram is a callback. */
    public boolean isFunctionAddress() {
        return isLddw() && src == Opcode.PSEUDO_FUNC;
    }

    /** JMP | JA or JMP32 | JA (gotol). */
    public boolean isUnconditionalJump() {
        return code == (Opcode.JMP | Opcode.JA) || code == (Opcode.JMP32 | Opcode.JA);
    }

    /** The target of a jump at {@code index}: gotol jumps by imm, every other jump by off. */
    public int jumpTarget(int index) {
        return index + 1 + (code == (Opcode.JMP32 | Opcode.JA) ? imm : off);
    }

    /** The target of a local call or of a PSEUDO_FUNC lddw at {@code index}. */
    public int callTarget(int index) {
        return index + 1 + imm;
    }
}
