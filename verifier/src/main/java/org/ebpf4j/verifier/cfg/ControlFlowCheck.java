package org.ebpf4j.verifier.cfg;

import java.util.ArrayDeque;
import java.util.Deque;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * The kernel's check_cfg: a depth-first walk of the control-flow graph from the first instruction, following
 * jumps, fall-throughs and calls. Every instruction must be reached ("unreachable insn"), no edge may leave the
 * program or land inside an lddw, and, for unprivileged programs only, no edge may go back to an instruction
 * still on the walk's path: since Linux 5.3 privileged programs may loop, and the abstract interpretation decides
 * whether each loop ends.
 */
public final class ControlFlowCheck {
    private ControlFlowCheck() {}

    private static final byte DISCOVERED = 1;
    private static final byte EXPLORED = 2;

    public static void check(Slot[] slots, boolean privileged) {
        byte[] state = new byte[slots.length];
        int[] nextEdge = new int[slots.length];
        Deque<Integer> stack = new ArrayDeque<>();
        state[0] = DISCOVERED;
        stack.push(0);
        while (!stack.isEmpty()) {
            int t = stack.peek();
            int[] successors = successors(slots, t);
            boolean descended = false;
            while (nextEdge[t] < successors.length && !descended) {
                int w = successors[nextEdge[t]++];
                if (w < 0 || w >= slots.length) {
                    throw VerificationFailure.rule(t, "jump out of range from insn %d to %d", t, w);
                }
                if (state[w] == 0) {
                    state[w] = DISCOVERED;
                    stack.push(w);
                    descended = true;
                } else if (state[w] == DISCOVERED && !privileged) {
                    throw VerificationFailure.rule(t, "back-edge from insn %d to %d", t, w);
                }
            }
            if (!descended) {
                state[t] = EXPLORED;
                stack.pop();
            }
        }
        for (int i = 0; i < slots.length; i++) {
            if (state[i] != EXPLORED) {
                throw VerificationFailure.rule(i, "unreachable insn %d", i);
            }
            if (slots[i].isLddw()) {
                if (i + 1 < slots.length && state[i + 1] != 0) {
                    throw VerificationFailure.rule(i, "jump into the middle of ldimm64 insn %d", i);
                }
                i++;
            }
        }
    }

    /** The edges out of slot t, in the kernel's order (fall-through first, then the branch). */
    private static int[] successors(Slot[] slots, int t) {
        Slot slot = slots[t];
        if (slot.isLddw()) {
            return slot.isFunctionAddress() ? new int[] {t + 2, slot.callTarget(t)} : new int[] {t + 2};
        }
        if (!slot.isJumpClass()) {
            return new int[] {t + 1};
        }
        int op = Opcode.code(slot.code());
        if (op == Opcode.EXIT) {
            return new int[0];
        }
        if (op == Opcode.CALL) {
            return slot.isLocalCall() ? new int[] {t + 1, slot.callTarget(t)} : new int[] {t + 1};
        }
        if (slot.isUnconditionalJump()) {
            return new int[] {slot.jumpTarget(t)};
        }
        return new int[] {t + 1, slot.jumpTarget(t)};
    }
}
