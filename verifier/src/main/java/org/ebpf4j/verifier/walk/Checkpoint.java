package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.state.VerifierState;

/**
 * A state recorded at a prune point (the kernel's explored states). {@code branches} counts the paths still
 * being explored below it (paths whose last checkpoint it is, and live child checkpoints); at zero every path
 * from it has been verified safe, and later states it contains may stop there.
 */
final class Checkpoint {
    final VerifierState state;
    final Checkpoint parent;
    /** Recorded on a speculative path: it may stop only other speculative paths. */
    final boolean speculative;
    int branches = 1;

    Checkpoint(VerifierState state, Checkpoint parent, boolean speculative) {
        this.state = state;
        this.parent = parent;
        this.speculative = speculative;
    }

    boolean isComplete() {
        return branches == 0;
    }
}
