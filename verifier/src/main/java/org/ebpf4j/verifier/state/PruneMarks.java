package org.ebpf4j.verifier.state;

/**
 * What a comparison with an old state may ignore (the kernel's liveness and precision marks), per call frame,
 * outermost first: registers outside {@code liveRegs} are never read again before written, nor stack slots outside
 * {@code liveSlots} before overwritten whole, and numbers outside
 * {@code preciseRegs} / {@code preciseSlots} (registers, spilled stack slots) influenced no decision after the old
 * state, so any number matches them. The arrays are the checkpoint's own, read as they are when compared.
 */
public record PruneMarks(int[] liveRegs, long[] liveSlots, int[] preciseRegs, long[] preciseSlots) {
    boolean live(int frame, int reg) {
        return (liveRegs[frame] & 1 << reg) != 0;
    }

    boolean liveSlot(int frame, int slot) {
        return (liveSlots[frame] & 1L << slot) != 0;
    }

    boolean preciseReg(int frame, int reg) {
        return (preciseRegs[frame] & 1 << reg) != 0;
    }

    boolean preciseSlot(int frame, int slot) {
        return (preciseSlots[frame] & 1L << slot) != 0;
    }
}
