package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.StackSlot;
import org.ebpf4j.verifier.state.VerifierState;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * The kernel's widen_imprecise_scalars after a callback iteration: back at the helper call, every number that
 * changed since the previous iteration's checkpoint there (find_prev_entry: the nearest one on the path, from the
 * same callsites) and is not precise in it becomes unknown, so that the iterations converge. Forgetting is always
 * sound; ebpf4j knows precision only from checkpoints, not from the path's registers, and ignores the all-precise
 * fallback there, so it may forget more than the kernel, which can only cost a rejection.
 */
final class Widening {
    private Widening() {}

    static void afterCallback(Path path, int callsite) {
        Checkpoint previous = previousEntry(path, callsite);
        if (previous == null) {
            return;
        }
        VerifierState cur = path.state;
        for (int f = 0; f < cur.frameCount(); f++) {
            FrameState now = cur.frame(f);
            FrameState then = previous.state.frame(f);
            for (int r = 0; r < Register.FP.number(); r++) {
                if (now.reg(r) instanceof ScalarValue c && then.reg(r) instanceof ScalarValue o
                        && (previous.neededRegs[f] & 1 << r) == 0 && !c.equals(o)) {
                    now.setReg(r, ScalarValue.unknown());
                }
            }
            for (int s = 0; s < FrameState.SLOTS; s++) {
                StackSlot slot = now.slot(s);
                if (slot.spillSize() == Limits.REG_SIZE && slot.spilled() instanceof ScalarValue c
                        && then.slot(s).spillSize() == Limits.REG_SIZE && then.slot(s).spilled() instanceof ScalarValue o
                        && (previous.neededSlots[f] & 1L << s) == 0 && !c.equals(o)) {
                    now.setSlot(s, StackSlot.spill(ScalarValue.unknown()));
                }
            }
        }
    }

    private static Checkpoint previousEntry(Path path, int callsite) {
        for (Checkpoint c = path.last; c != null; c = c.parent) {
            if (c.insn == callsite && c.state.frameCount() == path.state.frameCount() && sameCallsites(c.state,
                    path.state)) {
                return c;
            }
        }
        return null;
    }

    private static boolean sameCallsites(VerifierState a, VerifierState b) {
        for (int f = 0; f < a.frameCount(); f++) {
            if (a.frame(f).callsite() != b.frame(f).callsite()) {
                return false;
            }
        }
        return true;
    }
}
