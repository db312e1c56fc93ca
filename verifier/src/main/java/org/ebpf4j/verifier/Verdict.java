package org.ebpf4j.verifier;

import org.ebpf4j.verifier.facts.AccessFacts;

/**
 * What the verifier concluded about one program: accepted, or rejected at one instruction with the kernel's
 * message for the rule it breaks (or a message naming a feature ebpf4j's verifier does not check yet).
 */
public sealed interface Verdict {

    /**
     * The kernel-style log, as {@link LogOptions} asked for it ({@link Verifier#verify(byte[], VerifierOptions,
     * LogOptions)}); what the kernel writes at the same {@code log_level}, in its notation:
     * <ul>
     *   <li>level 0: the empty string;</li>
     *   <li>level 1, on rejection: the path that failed from the entry of the function being verified (the
     *       paths explored before it are rewound away, as the kernel's pop_stack does), each instruction
     *       ({@code 3: (07) r1 += -8}, in the kernel's text) with the registers and stack
     *       slot it read or wrote after it ({@code ; R1=fp-8}), a path's whole first state ({@code 0: R1=ctx()
     *       R10=fp0}), calls and returns ({@code caller:}, {@code callee:}, {@code returning from callee:}), source
     *       lines ({@code ; int x = 0; @ file.c:12}) where {@link LogOptions#lines()} has them, then the message
     *       and the statistics line ({@code processed N insns (limit 1000000) max_states_per_insn M total_states
     *       T peak_states P mark_read 0});</li>
     *   <li>level 1, on acceptance: the statistics line, after the last global function's {@code Func#N ('f') is
     *       safe for any args that match its prototype};</li>
     *   <li>level 2: every instruction of every path walked, each path taken from the stack starting with
     *       {@code from 4 to 7: STATE}, pruned paths ending with {@code 9: safe} or {@code from 4 to 9: safe},
     *       then the message if any and the statistics line.</li>
     * </ul>
     * Rejections before the walk (the structural passes) log the message and the statistics only. The kernel's
     * other lines (liveness, precision tracking, {@code func#N @M}) are not written; {@code mark_read} is 0 (ebpf4j
     * has no read marks) and {@code peak_states} equals {@code total_states} (ebpf4j frees no state during a walk).
     * At most {@link LogOptions#size()} characters are kept, the last ones ({@link #logTruncated()}).
     */
    String log();

    /** Whether the log outgrew {@link LogOptions#size()} and lost its beginning (the kernel's ENOSPC). */
    boolean logTruncated();

    /** Instructions the walk processed (the kernel's "processed N insns"). */
    int processedInsns();

    default boolean isAccepted() {
        return this instanceof Accepted;
    }

    /**
     * @param facts what the walk proved about each memory access, for the engines
     * @param stackDepth the bytes below its frame pointer that the main program's accesses reach, its own and its
     *     helpers' (the kernel's {@code subprog_info[0].stack_depth}); {@link Limits#MAX_BPF_STACK} when not known
     */
    record Accepted(String log, int processedInsns, AccessFacts facts, boolean logTruncated, int stackDepth)
            implements Verdict {
        public Accepted {
            java.util.Objects.requireNonNull(facts);
            if (stackDepth < 0 || stackDepth > Limits.MAX_BPF_STACK) {
                throw new IllegalArgumentException("stack depth " + stackDepth + " outside the "
                        + Limits.MAX_BPF_STACK + "-byte frame");
            }
        }

        /** An acceptance whose log is whole, without a known stack depth. */
        public Accepted(String log, int processedInsns, AccessFacts facts) {
            this(log, processedInsns, facts, false, Limits.MAX_BPF_STACK);
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
    record Rejected(String message, int insn, Cause cause, String log, int processedInsns, boolean logTruncated)
            implements Verdict {
        /** A rejection whose log is whole. */
        public Rejected(String message, int insn, Cause cause, String log, int processedInsns) {
            this(message, insn, cause, log, processedInsns, false);
        }

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
