package org.ebpf4j.verifier.facts;

import java.util.Arrays;

/**
 * The verifier's facts about every memory access of an accepted program, by instruction slot (the kernel keeps
 * the like in insn_aux_data: ptr_type for its context rewrite, and the JITs' knowledge of stack accesses).
 * Immutable; the engines read them to address proven stack, context and packet accesses directly.
 */
public final class AccessFacts {
    private static final AccessFacts NONE = new AccessFacts(new AccessFact[0]);

    private final AccessFact[] facts;

    private AccessFacts(AccessFact[] facts) {
        this.facts = facts;
    }

    /** No facts at all: every access takes the generic path (unverified programs). */
    public static AccessFacts none() {
        return NONE;
    }

    /** The fact about the instruction at {@code slot}; {@link AccessFact#NONE} for slots without one. */
    public AccessFact at(int slot) {
        return slot >= 0 && slot < facts.length ? facts[slot] : AccessFact.NONE;
    }

    /** Slots covered (the program's length, or 0 for {@link #none()}). */
    public int slotCount() {
        return facts.length;
    }

    /** Whether any instruction in slots {@code [start, end)} may address memory directly. */
    public boolean anyDirect(int start, int end, PointerKind kind) {
        for (int slot = Math.max(start, 0); slot < Math.min(end, facts.length); slot++) {
            if (facts[slot].direct() && facts[slot].kind() == kind) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("AccessFacts[");
        for (int slot = 0; slot < facts.length; slot++) {
            if (facts[slot].kind() != PointerKind.NONE) {
                text.append(text.length() > 12 ? ", " : "").append(slot).append('=').append(facts[slot]);
            }
        }
        return text.append(']').toString();
    }

    /** Collects facts while the verifier walks: each access recorded is joined with the earlier ones. */
    public static final class Recorder {
        private final AccessFact[] facts;

        public Recorder(int slots) {
            facts = new AccessFact[slots];
            Arrays.fill(facts, AccessFact.NONE);
        }

        /** Joins what one path proved about the access at {@code slot}. */
        public void record(int slot, AccessFact fact) {
            facts[slot] = facts[slot].join(fact);
        }

        /** The facts recorded so far, as an immutable copy. */
        public AccessFacts build() {
            return new AccessFacts(facts.clone());
        }
    }
}
