package org.ebpf4j.verifier.walk;

import java.util.Arrays;
import org.ebpf4j.verifier.state.PruneMarks;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * A state recorded at a prune point (the kernel's explored states). {@code branches} counts the paths still
 * being explored below it (paths whose last checkpoint it is, and live child checkpoints); at zero every path
 * from it has been verified safe, and later states it contains may stop there. {@code history} holds the
 * instructions from the parent checkpoint to this one, for backtracking ({@link Precision}); {@code precise} the
 * numbers that some decision below this checkpoint depended on.
 */
final class Checkpoint {
    final int insn;
    final VerifierState state;
    final Checkpoint parent;
    final Step history;
    /** Recorded on a speculative path: it may stop only other speculative paths. */
    final boolean speculative;
    final int[] preciseRegs;
    final long[] preciseSlots;
    /**
     * The part of the marks that backtracking found needed, without the all-precise fallback: what callback widening
     * keeps ({@link Widening}), which may forget anything else soundly.
     */
    final int[] neededRegs;
    final long[] neededSlots;
    /** Per frame, the registers live where the frame continues (its instruction, or its call's). */
    private final int[] liveRegs;
    /** Per frame, the stack slots live there (see {@link StackLiveness#liveSlots}). */
    private final long[] liveSlots;
    private boolean allPrecise;
    int branches = 1;

    Checkpoint(int insn, VerifierState state, Checkpoint parent, Step history, boolean speculative,
               LiveRegisters live, StackLiveness liveStack) {
        this.insn = insn;
        this.state = state;
        this.parent = parent;
        this.history = history;
        this.speculative = speculative;
        this.preciseRegs = new int[state.frameCount()];
        this.preciseSlots = new long[state.frameCount()];
        this.neededRegs = new int[state.frameCount()];
        this.neededSlots = new long[state.frameCount()];
        this.liveRegs = new int[state.frameCount()];
        this.liveSlots = liveStack.liveSlots(state, insn);
        for (int f = 0; f < liveRegs.length; f++) {
            liveRegs[f] = live.before(f == liveRegs.length - 1 ? insn : state.frame(f + 1).callsite());
        }
    }

    boolean isComplete() {
        return branches == 0;
    }

    boolean allPrecise() {
        return allPrecise;
    }

    /** Every number precise (mark_all_scalars_precise); false if it already was. */
    boolean markAllPrecise() {
        if (allPrecise) {
            return false;
        }
        allPrecise = true;
        Arrays.fill(preciseRegs, -1);
        Arrays.fill(preciseSlots, -1L);
        return true;
    }

    /**
     * Marks the demanded values precise here and keeps in {@code demand} only those that were not already: a
     * value precise here has had its own past marked when it became so.
     */
    void absorb(Demand demand) {
        for (int f = 0; f < preciseRegs.length; f++) {
            neededRegs[f] |= demand.regs[f];
            neededSlots[f] |= demand.slots[f];
            int newRegs = demand.regs[f] & ~preciseRegs[f];
            preciseRegs[f] |= demand.regs[f];
            demand.regs[f] = newRegs;
            long newSlots = demand.slots[f] & ~preciseSlots[f];
            preciseSlots[f] |= demand.slots[f];
            demand.slots[f] = newSlots;
        }
    }

    /** What a comparison with a later state here may ignore: dead registers and slots, and imprecise numbers. */
    PruneMarks marks() {
        return new PruneMarks(liveRegs, liveSlots, preciseRegs, preciseSlots);
    }
}
