package org.ebpf4j.verifier.walk;

/**
 * One instruction a path processed since its last checkpoint, newest first (the kernel's jmp_history, kept for
 * every instruction rather than only jumps, which makes backtracking a plain walk back): the frame it ran in, the
 * stack slot it accessed through a stack pointer ({@code stackFrame} -1 when none, {@code stackSlot} -1 when the
 * offset was variable), and for a conditional jump the numbers linked to its operands by a scalar id (the kernel's
 * linked_regs), which its refinement changed together. Immutable, so paths that fork share their past.
 */
record Step(int insn, int frame, int stackFrame, int stackSlot, int[] linked, boolean leavesCallback, Step prev) {
    static final int NONE = -1;

    /** A location in {@link #linked}: a register or a stack slot of a frame. */
    static int register(int frame, int reg) {
        return frame << 8 | reg;
    }

    static int slot(int frame, int slot) {
        return frame << 8 | 0x80 | slot;
    }
}
