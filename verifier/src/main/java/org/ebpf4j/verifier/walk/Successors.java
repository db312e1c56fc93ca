package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.state.VerifierState;

/**
 * Where a conditional jump leads: the state on the taken path and on the fall-through path, null for a path that
 * cannot be taken.
 */
record Successors(VerifierState taken, VerifierState fallThrough) {}
