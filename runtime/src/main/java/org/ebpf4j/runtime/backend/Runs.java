package org.ebpf4j.runtime.backend;

import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;

/** Runs a program {@code repeat} times as {@code bpf_test_run} does, timing the loop. */
final class Runs {
    private Runs() {}

    /** Maps a run's inputs into a freshly reset invocation and returns r1 (the context pointer). */
    @FunctionalInterface
    interface Inputs {
        long map(Invocation invocation);
    }

    /** r0 of the last run and the mean nanoseconds per run (rounded down, as the kernel's do_div). */
    record Timed(long returnValue, long nanosPerRun) {}

    static Timed repeat(Executable program, int repeat, Inputs inputs) {
        Invocation invocation = new Invocation();
        long r0 = 0;
        long start = System.nanoTime();
        for (int i = 0; i < repeat; i++) {
            invocation.reset();
            long ctx = inputs.map(invocation);
            r0 = program.run(invocation, ctx, 0, 0, 0, 0);
        }
        long elapsed = System.nanoTime() - start;
        // BPF_PROG_TEST_RUN reports retval as the low 32 bits.
        return new Timed(Integer.toUnsignedLong((int) r0), elapsed / repeat);
    }
}
