package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.state.VerifierState;

/** One path of the walk: where it is, its state, and the last checkpoint it passed (null before the first). */
final class Path {
    int insn;
    final VerifierState state;
    Checkpoint last;

    Path(int insn, VerifierState state, Checkpoint last) {
        this.insn = insn;
        this.state = state;
        this.last = last;
    }
}
