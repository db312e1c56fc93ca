package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instructions;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.PruneMarks;
import org.ebpf4j.verifier.state.RegisterType;

/**
 * Precision marks (the kernel's mark_chain_precision): numbers are imprecise, so that pruning lets any number
 * match them, until a decision depends on one (a branch it decides, a pointer offset, a helper argument, a return
 * value checked against a range). Then backtracking ({@link Backtracking}) follows its value back through the
 * path's instructions and its checkpoints, marking it and what it was computed from precise in each checkpoint
 * passed. Marking too much only prunes less; where the data flow is not followed, every number of every checkpoint
 * of the path becomes precise. Without CAP_BPF the kernel keeps every number precise, and so does ebpf4j: the
 * marks are then not kept at all.
 */
final class Precision {
    private final Instructions program;
    private final boolean enabled;

    Precision(Instructions program, boolean enabled) {
        this.program = program;
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /** The instruction being processed depends on register {@code reg} of the current frame. */
    void register(Path path, int reg) {
        int f = path.state.frameCount() - 1;
        if (!enabled) {
            return;
        }
        Demand demand = new Demand(f);
        demand.set(f, reg);
        backtrack(path, demand, true);
    }

    /** The instruction being processed depends on a stack slot of frame {@code frame}. */
    void slot(Path path, int frame, int slot) {
        if (!enabled) {
            return;
        }
        Demand demand = new Demand(path.state.frameCount() - 1);
        demand.setSlot(frame, slot);
        backtrack(path, demand, true);
    }

    /**
     * The path stops at checkpoint {@code old}, whose safety relied on its precise numbers: the path's matching
     * numbers need the same precision in its own checkpoints (propagate_precision).
     */
    void inherit(Path path, Checkpoint old) {
        if (!enabled) {
            return;
        }
        Demand demand = new Demand(path.state.frameCount() - 1);
        for (int f = 0; f <= demand.frame; f++) {
            FrameState frame = old.state.frame(f);
            PruneMarks marks = old.marks();
            int live = marks.liveRegs()[f];
            long liveSlots = marks.liveSlots()[f];
            for (int r = 0; r < org.ebpf4j.isa.Register.COUNT; r++) {
                if ((old.preciseRegs[f] & live & 1 << r) != 0 && frame.reg(r) instanceof RegisterType.ScalarValue) {
                    demand.set(f, r);
                }
            }
            for (int s = 0; s < FrameState.SLOTS; s++) {
                if ((old.preciseSlots[f] & liveSlots & 1L << s) != 0 && frame.slot(s).spilled() instanceof RegisterType.ScalarValue) {
                    demand.setSlot(f, s);
                }
            }
        }
        backtrack(path, demand, false);
    }

    /**
     * The path stops at a checkpoint still being explored, whose future needs are not known yet: every number of
     * the path's checkpoints becomes precise.
     */
    void everything(Path path) {
        if (enabled) {
            markAll(path.last);
        }
    }

    private void backtrack(Path path, Demand demand, boolean skipCurrent) {
        Step step = path.history;
        if (skipCurrent && step != null) {
            step = step.prev();
        }
        Checkpoint checkpoint = path.last;
        while (true) {
            for (; step != null; step = step.prev()) {
                if (!Backtracking.step(step, program.at(step.insn()), demand)) {
                    markAll(path.last);
                    return;
                }
                if (demand.isEmpty()) {
                    return;
                }
            }
            if (checkpoint == null) {
                return;
            }
            if (demand.frame != checkpoint.state.frameCount() - 1) {
                markAll(path.last);
                return;
            }
            checkpoint.absorb(demand);
            if (demand.isEmpty()) {
                return;
            }
            step = checkpoint.history;
            checkpoint = checkpoint.parent;
        }
    }

    /** A checkpoint already all precise had its whole chain marked when it became so. */
    private static void markAll(Checkpoint from) {
        for (Checkpoint c = from; c != null && c.markAllPrecise(); c = c.parent) {
            // marked
        }
    }
}
