package org.ebpf4j.runtime;

/**
 * A program prepared by an {@link Engine}: runs on any thread, each run with its own {@link Invocation}, and
 * returns r0.
 */
public interface Executable {
    /**
     * A whole run: from the first instruction at call depth 0, through every tail call it makes
     * ({@link TailCalls}), to the r0 of the last program's exit.
     */
    long run(Invocation invocation, long r1, long r2, long r3, long r4, long r5);

    /**
     * One program of a tail-call chain: from its first instruction at call depth {@code depth} (the frame it
     * replaces), with r1 = {@code context} and r2-r9 = 0. Returns r0, or leaves a tail call pending on the
     * invocation when a tail call leaves the program's own frame; {@link TailCalls#finish} runs what is pending.
     */
    long runFrame(Invocation invocation, int depth, long context);

    /**
     * {@link #runFrame(Invocation, int, long)} from the trampoline of {@link TailCalls}, which offers the
     * {@code state} its caller ran on (null when none): an engine may run its own programs on it.
     */
    default long runFrame(Invocation invocation, int depth, long context, TailCalls.RunState state) {
        return runFrame(invocation, depth, context);
    }
}
