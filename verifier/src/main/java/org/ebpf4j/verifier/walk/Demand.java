package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.Limits;

/**
 * The values whose exact knowledge a decision needs, while backtracking finds where they came from (the kernel's
 * backtrack_state): per call frame a mask of registers and a mask of stack slots, and the frame the walk back is in.
 */
final class Demand {
    final int[] regs = new int[Limits.MAX_CALL_FRAMES];
    final long[] slots = new long[Limits.MAX_CALL_FRAMES];
    /** The innermost frame at the point reached. */
    int frame;

    Demand(int frame) {
        this.frame = frame;
    }

    boolean isEmpty() {
        for (int f = 0; f <= frame; f++) {
            if (regs[f] != 0 || slots[f] != 0) {
                return false;
            }
        }
        return true;
    }

    boolean has(int f, int reg) {
        return (regs[f] & 1 << reg) != 0;
    }

    void set(int f, int reg) {
        regs[f] |= 1 << reg;
    }

    void clear(int f, int reg) {
        regs[f] &= ~(1 << reg);
    }

    boolean hasSlot(int f, int slot) {
        return (slots[f] & 1L << slot) != 0;
    }

    void setSlot(int f, int slot) {
        slots[f] |= 1L << slot;
    }

    void clearSlot(int f, int slot) {
        slots[f] &= ~(1L << slot);
    }

    /** A location of {@link Step#linked}. */
    boolean hasLocation(int location) {
        int f = location >>> 8;
        int index = location & 0x7f;
        return (location & 0x80) != 0 ? hasSlot(f, index) : has(f, index);
    }

    void setLocation(int location) {
        int f = location >>> 8;
        int index = location & 0x7f;
        if ((location & 0x80) != 0) {
            setSlot(f, index);
        } else {
            set(f, index);
        }
    }

    /** Walking back over a call: the callee's frame (empty) becomes innermost. */
    void enterCallee() {
        frame++;
        regs[frame] = 0;
        slots[frame] = 0;
    }

    /** Walking back over a callee's entry: its frame goes. */
    void leaveCallee() {
        regs[frame] = 0;
        slots[frame] = 0;
        frame--;
    }
}
