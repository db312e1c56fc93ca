package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.SkBuff;

/** {@code BPF_PROG_TEST_RUN} of the JVM backend for any prepared program, whatever engine prepared it. */
public final class TestRuns {
    private TestRuns() {}

    /** Whether {@link #run} can run programs of this type. */
    public static boolean runs(ProgramType type) {
        return switch (type) {
            case XDP, SOCKET_FILTER, SCHED_CLS, SCHED_ACT -> true;
            default -> false;
        };
    }

    public static TestRunResult run(ProgramType type, String name, Executable executable, TestRun run) {
        return switch (type) {
            case XDP -> XdpTestRun.run(name, executable, run);
            case SOCKET_FILTER -> SkbTestRun.run(name, executable, SkBuff.SOCKET_FILTER, false, run);
            case SCHED_CLS, SCHED_ACT -> SkbTestRun.run(name, executable, SkBuff.TC, true, run);
            default -> throw new UnsupportedOperationException("no JVM test run for " + type);
        };
    }
}
