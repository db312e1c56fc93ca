package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;

/**
 * The fixed point of a backward "may" analysis over a program's control flow, within each frame (a call continues
 * after itself; the callee's body is its own frame's): what is live before an instruction is what it uses, plus what
 * is live after it and it does not define. Registers ({@link LiveRegisters}) and stack slots ({@link StackLiveness})
 * are its two uses, one bit per register or slot.
 */
final class BackwardDataFlow {
    private BackwardDataFlow() {}

    /** Per slot, what is live before the instruction there, given what each instruction uses and defines. */
    static long[] liveIn(Instructions program, long[] use, long[] def) {
        int slots = program.slotCount();
        int[][] successors = new int[slots][];
        for (int slot = 0; slot < slots; slot++) {
            if (program.startsInstruction(slot)) {
                successors[slot] = successors(program.at(slot), slot, slots);
            }
        }
        long[] live = new long[slots];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int slot = slots - 1; slot >= 0; slot--) {
                if (successors[slot] == null) {
                    continue;
                }
                long out = 0;
                for (int next : successors[slot]) {
                    out |= live[next];
                }
                long in = use[slot] | (out & ~def[slot]);
                if (in != live[slot]) {
                    live[slot] = in;
                    changed = true;
                }
            }
        }
        return live;
    }

    /** The instructions control may reach next within the instruction's frame (a call continues after itself). */
    private static int[] successors(Instruction insn, int slot, int slots) {
        int next = slot + insn.slots();
        if (insn.isExit()) {
            return new int[0];
        }
        if (insn.isBranch()) {
            int target = insn.branchTarget(slot);
            boolean inside = target >= 0 && target < slots;
            if (JumpOp.of(insn.opcode()) == JumpOp.JA) {
                return inside ? new int[] {target} : new int[0];
            }
            return inside && next < slots ? new int[] {next, target} : inside ? new int[] {target}
                    : next < slots ? new int[] {next} : new int[0];
        }
        return next < slots ? new int[] {next} : new int[0];
    }
}
