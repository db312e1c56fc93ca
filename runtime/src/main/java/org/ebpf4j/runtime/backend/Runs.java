package org.ebpf4j.runtime.backend;

import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.runtime.memory.Region;

/** Runs a program {@code repeat} times as {@code bpf_test_run} does, timing the loop. */
final class Runs {
    private Runs() {}

    /** Maps a run's inputs into a freshly reset invocation and returns r1 (the context pointer). */
    @FunctionalInterface
    interface Inputs {
        long map(Invocation invocation);

        /**
         * Whether the inputs are still as {@link #map} mapped them after a run, so that the next run reuses the
         * mapping; false when the run moved them (an XDP frame's head, tail or metadata).
         */
        default boolean unmoved() {
            return true;
        }
    }

    /** r0 of the last run and the mean nanoseconds per run (rounded down, as the kernel's do_div). */
    record Timed(long returnValue, long nanosPerRun) {}

    /**
     * The inputs of a packet run: {@code packet} (of {@code length} bytes) mapped, its bounds given to the context's
     * packet fields (no metadata: data_meta equals data, as bpf_compute_data_pointers leaves a test packet) and to
     * the invocation, then the context mapped.
     */
    static Inputs packetAndContext(Region packet, int length, ContextMemory context) {
        return invocation -> {
            long data = invocation.map(packet);
            context.setPacket(data, data, data + length);
            invocation.setPacket(data);
            return invocation.map(context.region());
        };
    }

    /**
     * Runs {@code program} {@code repeat} times.
     * Each run starts as on a fresh invocation with the inputs just mapped: the stack zeroed, the same region ids.
     * Mapping is done again only after a run that moved the inputs; otherwise the next run keeps the mapping.
     */
    static Timed repeat(PreparedProgram program, int repeat, Inputs inputs) {
        Invocation invocation = new Invocation(program.stackBytes());
        long r0 = 0;
        long ctx = 0;
        boolean mapped = false;
        long start = System.nanoTime();
        for (int i = 0; i < repeat; i++) {
            if (mapped && inputs.unmoved()) {
                invocation.repeat();
            } else {
                invocation.reset();
                ctx = inputs.map(invocation);
                invocation.keepInputs();
                mapped = true;
            }
            r0 = program.executable().run(invocation, ctx, 0, 0, 0, 0);
        }
        long elapsed = System.nanoTime() - start;
        // BPF_PROG_TEST_RUN reports retval as the low 32 bits.
        return new Timed(Integer.toUnsignedLong((int) r0), elapsed / repeat);
    }
}
