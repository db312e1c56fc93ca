package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.state.VerifierState;

/**
 * One path of the walk: where it is, its state, the last checkpoint it passed (null before the first), the
 * instructions processed since ({@link Step}, for backtracking), and whether it is only speculative: a way the CPU
 * may go by misprediction though no execution does (Spectre v1, walked for loaders without CAP_BPF).
 */
final class Path {
    int insn;
    final VerifierState state;
    Checkpoint last;
    Step history;
    final boolean speculative;

    Path(int insn, VerifierState state, Checkpoint last) {
        this(insn, state, last, false);
    }

    Path(int insn, VerifierState state, Checkpoint last, boolean speculative) {
        this.insn = insn;
        this.state = state;
        this.last = last;
        this.speculative = speculative;
    }

    /** A path forked from this one at its current instruction: the same checkpoint and history. */
    Path fork(int insn, VerifierState state, boolean speculative) {
        Path forked = new Path(insn, state, last, speculative);
        forked.history = history;
        return forked;
    }
}
