package org.ebpf4j.runtime.interpreter;

import org.ebpf4j.runtime.Invocation;

/**
 * The bpf-to-bpf call frames of one run: per frame, the caller's r6-r9 and the slot of the call. Allocated on a
 * run's first call, so programs without calls never pay for it.
 */
final class CallStack {
    private static final int SAVED = 4;

    private final long[] saved = new long[Invocation.MAX_FRAMES * SAVED];
    private final int[] returnSlots = new int[Invocation.MAX_FRAMES];

    /** Pushes a frame for a call made at {@code slot} from {@code depth}; returns the callee's depth. */
    int enter(Invocation invocation, long[] r, int depth, int slot) {
        int callee = depth + 1;
        if (callee >= Invocation.MAX_FRAMES) {
            throw new Interpreter.RunFault("call stack is too deep: " + Invocation.MAX_FRAMES + " frames at most");
        }
        int at = callee * SAVED;
        saved[at] = r[6];
        saved[at + 1] = r[7];
        saved[at + 2] = r[8];
        saved[at + 3] = r[9];
        returnSlots[callee] = slot;
        r[10] = Invocation.framePointer(callee);
        invocation.noteFrame(callee);
        return callee;
    }

    /** Pops the frame at {@code depth}: restores the caller's r6-r10 and returns the slot of its call. */
    int leave(long[] r, int depth) {
        int at = depth * SAVED;
        r[6] = saved[at];
        r[7] = saved[at + 1];
        r[8] = saved[at + 2];
        r[9] = saved[at + 3];
        r[10] = Invocation.framePointer(depth - 1);
        return returnSlots[depth];
    }
}
