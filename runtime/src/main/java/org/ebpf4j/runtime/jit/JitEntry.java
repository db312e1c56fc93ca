package org.ebpf4j.runtime.jit;

/** Implemented by each generated class: its ways into the compiled subprograms. */
interface JitEntry {
    /** The main subprogram at depth 0, r1-r5 given, r6-r9 zero. */
    long enter(JitRun run, long r1, long r2, long r3, long r4, long r5);

    /** The main subprogram at {@code depth} with r1 alone: a tail call's target ({@code Executable.runFrame}). */
    long frame(JitRun run, int depth, long r1);

    /** The subprogram starting at {@code slot}, at {@code depth}: a helper's callback. */
    long callback(JitRun run, int slot, int depth, long r1, long r2, long r3, long r4, long r5);
}
