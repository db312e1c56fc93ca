package org.ebpf4j.runtime.jit;

import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.PacketTooShort;
import org.ebpf4j.runtime.TailCalls;
import org.ebpf4j.runtime.helpers.HelperRegistry;

/** A compiled program: immutable, so any number of threads may run it, each with its own invocation. */
final class JitProgram implements Executable {
    private final JitEntry entry;
    private final Instructions program;
    private final HelperRegistry helpers;
    private final long backwardJumpLimit;

    JitProgram(JitEntry entry, Instructions program, HelperRegistry helpers, long backwardJumpLimit) {
        this.entry = entry;
        this.program = program;
        this.helpers = helpers;
        this.backwardJumpLimit = backwardJumpLimit;
    }

    @Override
    public long run(Invocation invocation, long r1, long r2, long r3, long r4, long r5) {
        invocation.beginRun();
        // r1 is the context where the program has one: resolved now, compiled code never takes the miss path.
        var run = topRun(invocation, r1);
        try {
            return TailCalls.finish(invocation, 0, entry.enter(run, r1, r2, r3, r4, r5), run);
        } catch (PacketTooShort e) {
            return 0; // the kernel ends the program with 0 when a legacy packet load reads past the end
        }
    }

    @Override
    public long runFrame(Invocation invocation, int depth, long context) {
        var run = newRun(invocation, depth);
        run.cacheContext(context);
        return entry.frame(run, depth, context);
    }

    /** A tail call's target: on the caller's state when the caller was compiled code too (no new state). */
    @Override
    public long runFrame(Invocation invocation, int depth, long context, TailCalls.RunState state) {
        if (state instanceof JitRun run && run.serves(invocation, depth)) {
            run.runs(this);
            return entry.frame(run, depth, context);
        }
        return runFrame(invocation, depth, context);
    }

    /**
     * The state of a run from the first frame: the one the invocation kept from its last compiled run, restarted (an
     * invocation runs one program at a time, and a run allocating nothing costs less), or a new one it keeps.
     */
    private JitRun topRun(Invocation invocation, long context) {
        if (invocation.keptState() instanceof JitRun kept && kept.serves(invocation, 0)) {
            kept.restart(this, context);
            return kept;
        }
        JitRun run = newRun(invocation, 0);
        run.cacheContext(context);
        invocation.keepState(run);
        return run;
    }

    /** The state of compiled code whose base frame is at {@code depth}. */
    JitRun newRun(Invocation invocation, int depth) {
        return new JitRun(invocation, this, depth);
    }

    JitEntry entry() {
        return entry;
    }

    Instructions program() {
        return program;
    }

    HelperRegistry helpers() {
        return helpers;
    }

    long backwardJumpLimit() {
        return backwardJumpLimit;
    }
}
