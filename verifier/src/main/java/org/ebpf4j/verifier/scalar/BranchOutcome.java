package org.ebpf4j.verifier.scalar;

/** What the abstract operands tell about a conditional jump (the kernel's is_branch_taken: 1, 0, -1). */
public enum BranchOutcome {
    /** Every pair of member values takes the jump: the fall-through path is dead. */
    ALWAYS,
    /** No pair of member values takes the jump: the jump target is dead from here. */
    NEVER,
    /** Both paths are possible. */
    UNKNOWN
}
