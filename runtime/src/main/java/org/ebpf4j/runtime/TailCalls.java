package org.ebpf4j.runtime;

/**
 * {@code bpf_tail_call} without growing the JVM stack: a tail call made in a program's own frame (its depth 0 or,
 * for a program that itself replaced a subprogram frame, that frame's depth) only records its target on the
 * {@link Invocation} and returns; the loop here, below the frame, then runs the target in the same frame. A tail
 * call made in a bpf-to-bpf subprogram replaces that subprogram: the target runs at the subprogram's depth and its
 * r0 is what the subprogram returns to its caller, as in Linux's x86-64 JIT. So the JVM stack holds at most one
 * such loop per call depth.
 *
 * <p>Linux 6.18's limit: at most {@link #MAX_TAIL_CALLS} tail calls succeed in one run, whatever frames they are
 * made from; an attempt on an empty slot or an index past the end falls through without counting (the kernel's
 * JIT counts only taken calls).
 */
public final class TailCalls {
    /** MAX_TAIL_CALL_CNT. */
    public static final int MAX_TAIL_CALLS = 33;

    private TailCalls() {}

    /**
     * What an engine holds for one run in one frame (its resolved regions, say): a tail call's target prepared by
     * the same engine may take it over instead of building its own ({@link Executable#runFrame(Invocation, int,
     * long, RunState)}).
     */
    public interface RunState {}

    /** Runs the tail calls pending on {@code invocation} in the frame at {@code depth}; returns the final r0. */
    public static long finish(Invocation invocation, int depth, long r0) {
        return finish(invocation, depth, r0, null);
    }

    /** {@link #finish(Invocation, int, long)}, offering each target the caller's {@code state} (or null). */
    public static long finish(Invocation invocation, int depth, long r0, RunState state) {
        long result = r0;
        for (Executable next = invocation.takeTailCall(); next != null; next = invocation.takeTailCall()) {
            result = next.runFrame(invocation, depth, invocation.tailCallContext(), state);
        }
        return result;
    }

    /** A tail call made in a subprogram at {@code depth}: the target and its own tail calls, then their r0. */
    public static long replaceSubprogram(Invocation invocation, Executable target, int depth, long context) {
        return finish(invocation, depth, target.runFrame(invocation, depth, context));
    }
}
