package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import java.util.BitSet;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The multiplications by a constant whose register operand holds 0 or 1, which the JIT emits as {@code -x & K}:
 * the same value, computed in two one-cycle instructions where a multiply takes three, which matters on a chain of
 * them (crc32's bit loop, which clang writes {@code crc >> 1 ^ (crc & 1) * poly}, is a chain of eight per byte).
 *
 * <p>That a register holds 0 or 1 is read from the straight code before the multiply alone (no verifier fact): its
 * last write there is {@code &= 1}, a 32-bit {@code >>= 31}, a 64-bit {@code >>= 63}, a move of 0 or 1, or a move
 * from a register that holds 0 or 1, and no jump lands in between. Each of these leaves the whole 64-bit register 0
 * or 1, so both widths of the multiply qualify.
 */
final class BitMultiplies {
    private BitMultiplies() {}

    /** The slots of the subprogram's qualifying multiplies. */
    static BitSet in(SubprogramFlow flow) {
        Instructions program = flow.program();
        BitSet multiplies = new BitSet();
        int bits = 0;
        for (int slot = flow.start(); slot < flow.end(); slot += program.at(slot).slots()) {
            Instruction insn = program.at(slot);
            if (flow.isJumpTarget(slot)) {
                bits = 0;
            }
            int op = insn.opcode();
            if (isAlu(op) && code(op) == MUL && source(op) == K && (bits & 1 << insn.dst()) != 0) {
                multiplies.set(slot);
            }
            boolean copiesBit = isAlu(op) && code(op) == MOV && source(op) == X && insn.offset() == 0
                    && (bits & 1 << insn.src()) != 0;
            bits &= ~SplitPlan.writes(insn);
            if (copiesBit || leavesBit(insn)) {
                bits |= 1 << insn.dst();
            }
            if (!insn.fallsThrough()) {
                bits = 0;
            }
        }
        return multiplies;
    }

    /** Whether the instruction leaves its destination 0 or 1 whatever it held. */
    private static boolean leavesBit(Instruction insn) {
        int op = insn.opcode();
        if (!isAlu(op) || source(op) != K || insn.offset() != 0) {
            return false;
        }
        int imm = insn.imm32();
        return switch (code(op)) {
            case AND -> imm == 1;
            case RSH -> imm == (opClass(op) == ALU64 ? 63 : 31);
            case MOV -> imm == 0 || imm == 1;
            default -> false;
        };
    }
}
