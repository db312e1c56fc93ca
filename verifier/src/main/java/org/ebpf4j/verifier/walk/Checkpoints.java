package org.ebpf4j.verifier.walk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.StateContainment;
import org.ebpf4j.verifier.state.StatePrinter;

/**
 * State pruning and loop detection (the kernel's is_state_visited, simplified). At a prune point a path stops when
 * a completely explored checkpoint there contains its state, given the checkpoint's live registers and stack
 * slots and its precision marks, and then passes those marks on to its own checkpoints ({@link Precision}); it fails with "infinite loop detected" when a
 * checkpoint still being explored (necessarily one of its own ancestors, the walk being depth-first) holds exactly
 * its state, because the path can then repeat forever. Otherwise the state may become a new checkpoint; as in the
 * kernel, only after at least two jumps and eight instructions since the last one, to bound their number.
 */
final class Checkpoints {
    /**
     * How many checkpoints to look at per visit, newest first: fewer prune less, never wrongly, and a loop that
     * runs to the complexity limit leaves a long list of checkpoints still in progress that must not be rescanned
     * at every iteration.
     */
    private static final int MAX_COMPARED = 64;
    /**
     * At a helper call that calls back, every state becomes a checkpoint: an iteration converges on a recent one,
     * and iterations that never converge would otherwise compare each state with many.
     */
    private static final int MAX_COMPARED_AT_CALLBACKS = 8;
    private static final int MIN_JUMPS_BETWEEN = 2;
    private static final int MIN_INSNS_BETWEEN = 8;

    private final Capabilities caps;
    private final LiveRegisters live;
    private final StackLiveness liveStack;
    private final Precision precision;
    private final Map<Integer, List<Checkpoint>> byInsn = new HashMap<>();
    private final Map<Integer, Map<Object, Checkpoint>> exact = new HashMap<>();
    private int jumpsSinceLast;
    private int insnsSinceLast;
    private int total;
    /** The most checkpoints an instruction had when another was compared with them (max_states_per_insn). */
    private int maxPerInsn;

    Checkpoints(Capabilities caps, LiveRegisters live, StackLiveness liveStack, Precision precision) {
        this.caps = caps;
        this.live = live;
        this.liveStack = liveStack;
        this.precision = precision;
    }

    void countInstruction(boolean isJump) {
        insnsSinceLast++;
        if (isJump) {
            jumpsSinceLast++;
        }
    }

    /**
     * True when the path may stop here; otherwise it may have moved to a new checkpoint. At a helper call that
     * calls back into the program ({@code callsBack}), a state within a checkpoint still being explored also stops
     * (the iterations have converged: that checkpoint explores everything this state can do), no state is an
     * infinite loop, and every state becomes a checkpoint (the kernel's force_checkpoint). A speculative path's
     * checkpoint prunes only other speculative paths.
     */
    boolean visit(Path path, boolean callsBack) {
        Checkpoint same = callsBack ? null : exact.getOrDefault(path.insn, Map.of()).get(path.state);
        if (same != null && (!same.speculative || path.speculative)) {
            if (!same.isComplete()) {
                throw VerificationFailure.rule(path.insn, "infinite loop detected at insn %d%ncur state: %s%nold state: %s",
                        path.insn, StatePrinter.frame(path.state.current()), StatePrinter.frame(same.state.current()));
            }
            precision.inherit(path, same);
            return true;
        }
        List<Checkpoint> here = byInsn.computeIfAbsent(path.insn, k -> new ArrayList<>());
        int compared = callsBack ? MAX_COMPARED_AT_CALLBACKS : MAX_COMPARED;
        for (int i = here.size() - 1; i >= 0 && i >= here.size() - compared; i--) {
            Checkpoint old = here.get(i);
            boolean complete = old.isComplete();
            // A checkpoint in progress has not collected its marks yet: compared in full (RANGE_WITHIN).
            if ((complete || callsBack) && (!old.speculative || path.speculative)
                    && StateContainment.isWithin(path.state, old.state, caps.privileged(), caps.exactScalars(),
                            complete && precision.enabled() ? old.marks() : null)) {
                if (complete) {
                    precision.inherit(path, old);
                } else {
                    precision.everything(path);
                }
                return true;
            }
        }
        // As is_state_visited counts it: the states a visit that did not prune went past.
        maxPerInsn = Math.max(maxPerInsn, here.size());
        if (callsBack || (jumpsSinceLast >= MIN_JUMPS_BETWEEN && insnsSinceLast >= MIN_INSNS_BETWEEN)) {
            Checkpoint added = new Checkpoint(path.insn, path.state.copy(), path.last, path.history,
                    path.speculative, live, liveStack);
            here.add(added);
            if (!callsBack) {
                exact.computeIfAbsent(path.insn, k -> new HashMap<>()).put(added.state, added);
            }
            path.last = added;
            path.history = null;
            jumpsSinceLast = 0;
            insnsSinceLast = 0;
            total++;
        }
        return false;
    }

    /** A path forks: the new path lives below the same checkpoint. */
    static void fork(Checkpoint last) {
        if (last != null) {
            last.branches++;
        }
    }

    /** A path ended (exit, or pruned): its checkpoints whose last path this was become complete. */
    static void finish(Checkpoint last) {
        for (Checkpoint c = last; c != null; c = c.parent) {
            if (--c.branches > 0) {
                return;
            }
        }
    }

    int total() {
        return total;
    }

    int maxPerInsn() {
        return maxPerInsn;
    }
}
