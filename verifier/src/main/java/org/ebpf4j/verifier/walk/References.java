package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.VerifierState;

/** check_reference_leak: where the program leaves (exit, tail call), it may hold no reference. */
final class References {
    private References() {}

    /** Fails with each reference still held, then "{@code prefix} would lead to reference leak". */
    static void checkNoLeak(VerifierState state, String prefix, int idx) {
        if (state.references().isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder();
        for (VerifierState.Reference r : state.references()) {
            message.append("Unreleased reference id=").append(r.id()).append(" alloc_insn=").append(r.insn())
                    .append('\n');
        }
        message.append(prefix).append(" would lead to reference leak");
        throw VerificationFailure.rule(idx, "%s", message);
    }
}
