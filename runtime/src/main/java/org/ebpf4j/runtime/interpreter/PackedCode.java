package org.ebpf4j.runtime.interpreter;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The interpreter's in-memory form of a program: one {@code long} per slot,
 * {@code imm << 32 | offset << 16 | src << 12 | dst << 8 | opcode}. The second slot of an lddw holds the whole
 * 64-bit immediate, which the lddw case reads directly.
 */
final class PackedCode {
    private PackedCode() {}

    static long[] pack(Instructions program) {
        long[] code = new long[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            int slot = program.slotOf(i);
            code[slot] = (long) insn.imm32() << 32 | (insn.offset() & 0xffffL) << 16
                    | (long) insn.src() << 12 | (long) insn.dst() << 8 | insn.opcode();
            if (insn.isLddw()) {
                code[slot + 1] = insn.imm();
            }
        }
        return code;
    }

    static int opcode(long insn) {
        return (int) insn & 0xff;
    }

    static int dst(long insn) {
        return (int) (insn >>> 8) & 0xf;
    }

    static int src(long insn) {
        return (int) (insn >>> 12) & 0xf;
    }

    static int offset(long insn) {
        return (short) (insn >>> 16);
    }

    static int imm(long insn) {
        return (int) (insn >>> 32);
    }
}
