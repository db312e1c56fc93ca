package org.ebpf4j.api;

import java.util.Objects;

/**
 * The input of {@link Program#testRun}, as {@code BPF_PROG_TEST_RUN} takes it: packet data, an optional context,
 * and how many times to run (the duration is averaged over the repeats).
 *
 * <pre>{@code program.testRun(TestRun.of(packet).ctx(xdpMd).repeat(1000))}</pre>
 */
public record TestRun(byte[] data, byte[] context, int repeat) {

    public TestRun {
        Objects.requireNonNull(data);
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, not " + repeat);
        }
    }

    public static TestRun of(byte[] data) {
        return new TestRun(data.clone(), null, 1);
    }

    /** No packet: for program types whose input is only a context (SYSCALL, RAW_TRACEPOINT). */
    public static TestRun withoutData() {
        return new TestRun(new byte[0], null, 1);
    }

    public TestRun ctx(byte[] ctx) {
        return new TestRun(data, ctx == null ? null : ctx.clone(), repeat);
    }

    public TestRun repeat(int times) {
        return new TestRun(data, context, times);
    }
}
