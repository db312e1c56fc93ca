package org.ebpf4j.runtime.jit;

import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
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
        var run = new JitRun(invocation, program, helpers, backwardJumpLimit);
        try {
            return entry.enter(run, r1, r2, r3, r4, r5);
        } catch (JitRuntime.PacketTooShort e) {
            return 0; // the kernel ends the program with 0 when a legacy packet load reads past the end
        }
    }
}
