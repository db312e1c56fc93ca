package org.ebpf4j.verifier;

import org.ebpf4j.verifier.facts.AccessFacts;

/**
 * What the verifier concluded about one program: accepted, or rejected at one instruction with the kernel's
 * message for the rule it breaks (or a message naming a feature ebpf4j's verifier does not check yet).
 */
public sealed interface Verdict {

    /**
     * The kernel-style log of the verification: on rejection the last instructions walked (up to 32), each with
     * its state, then the message; on acceptance the statistics line. One level of detail for now.
     */
    String log();

    /** Instructions the walk processed (the kernel's "processed N insns"). */
    int processedInsns();

    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /**
     * @param facts what the walk proved about each memory access, for the engines
     */
    record Accepted(String log, int processedInsns, AccessFacts facts) implements Verdict {
        public Accepted {
            java.util.Objects.requireNonNull(facts);
        }

        /** An acceptance without facts: every access keeps the engines' generic path. */
        public Accepted(String log, int processedInsns) {
            this(log, processedInsns, AccessFacts.none());
        }
    }

    /**
     * @param message the rejection as the log states it, before the statistics: one line, or for a few rules
     *     the kernel's several (an infinite loop is followed by the current and the old state)
     * @param insn the instruction (slot) index it concerns, or -1 for the whole program
     * @param cause whether a kernel rule was broken or an unsupported feature was met
     */
    record Rejected(String message, int insn, Cause cause, String log, int processedInsns) implements Verdict {
        /** The message's last line: what the kernel's log shows last before its statistics. */
        public String lastLine() {
            return message.substring(message.lastIndexOf('\n') + 1);
        }
    }

    /** Why a program was rejected. */
    enum Cause {
        /** The program breaks one of the kernel verifier's rules: the kernel rejects it too. */
        RULE,
        /** The program uses something ebpf4j's verifier cannot check yet; never accepted unchecked. */
        UNSUPPORTED
    }
}
