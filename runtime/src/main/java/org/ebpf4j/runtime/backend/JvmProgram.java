package org.ebpf4j.runtime.backend;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.RunnableProgram;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.SkBuff;

/** A program prepared to run in this JVM; {@link #testRun} follows {@code BPF_PROG_TEST_RUN}. */
public final class JvmProgram implements RunnableProgram {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final ProgramSpec spec;
    private final Executable executable;
    private final Optional<String> verifierLog;
    /** The bytes at the top of the first stack frame that a run may write ({@link Invocation#Invocation(int)}). */
    private final int stackBytes;
    private final int id = IDS.incrementAndGet();
    private volatile boolean closed;

    JvmProgram(ProgramSpec spec, Executable executable, Optional<String> verifierLog, int stackBytes) {
        this.spec = spec;
        this.executable = executable;
        this.verifierLog = verifierLog;
        this.stackBytes = stackBytes;
    }

    /** ebpf4j's verifier log, at the load's log level (none at level 0, nor for an unverified load). */
    @Override
    public Optional<String> verifierLog() {
        return verifierLog;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public ProgramType type() {
        return spec.type();
    }

    @Override
    public ProgramSpec spec() {
        return spec;
    }

    /** The prepared program, for callers that run it on their own invocations (and for prog arrays). */
    @Override
    public Executable executable() {
        checkOpen();
        return executable;
    }

    @Override
    public TestRunResult testRun(TestRun run) {
        checkOpen();
        try {
            return testRun(spec.type(), spec.expectedAttachType().map(AttachType::value).orElse(0), name(),
                    executable, stackBytes, run);
        } catch (ProgramFault fault) {
            throw fault.in(name());
        }
    }

    /**
     * {@code BPF_PROG_TEST_RUN} of a program of {@code type}, loaded for {@code expectedAttachType}, prepared by any
     * engine (the fuzzers run the checked interpreter this way); a fault is left as the engine raised it.
     */
    public static TestRunResult testRun(ProgramType type, int expectedAttachType, String name, Executable executable,
                                        TestRun run) {
        return testRun(type, expectedAttachType, name, executable, Invocation.STACK_SIZE, run);
    }

    /** As above, for a program whose runs write at most the top {@code stackBytes} of their first stack frame. */
    private static TestRunResult testRun(ProgramType type, int expectedAttachType, String name, Executable executable,
                                         int stackBytes, TestRun run) {
        return switch (type) {
            case XDP -> XdpTestRun.run(name, executable, stackBytes, run);
            case SOCKET_FILTER -> SkbTestRun.run(name, executable, stackBytes, SkBuff.SOCKET_FILTER, false, false, run);
            case SCHED_CLS, SCHED_ACT -> SkbTestRun.run(name, executable, stackBytes, SkBuff.TC, true, true, run);
            case CGROUP_SKB -> SkbTestRun.run(name, executable, stackBytes, SkBuff.CGROUP_SKB, false, false, run);
            case LWT_IN, LWT_OUT -> SkbTestRun.run(name, executable, stackBytes, SkBuff.LWT, false, false, run);
            // may_access_direct_pkt_data lets these two write their packet.
            case LWT_XMIT, SK_SKB -> SkbTestRun.run(name, executable, stackBytes,
                    type == ProgramType.SK_SKB ? SkBuff.SK_SKB : SkBuff.LWT, false, true, run);
            case SK_MSG -> SkMsgTestRun.run(name, executable, stackBytes, run);
            case FLOW_DISSECTOR -> FlowDissectorTestRun.run(name, executable, stackBytes, run);
            case NETFILTER -> NetfilterTestRun.run(name, executable, stackBytes, run);
            case SK_LOOKUP -> SkLookupTestRun.run(name, executable, stackBytes, run);
            case KPROBE, TRACEPOINT, PERF_EVENT, RAW_TRACEPOINT, SYSCALL, CGROUP_SOCK_ADDR, CGROUP_SOCK, CGROUP_DEVICE,
                 CGROUP_SYSCTL, SOCK_OPS ->
                    ContextTestRun.run(name, executable, stackBytes, type, expectedAttachType, run);
            default -> throw new UnsupportedOperationException("the JVM backend cannot test-run " + type
                    + " programs yet (program '" + name + "')");
        };
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("program '" + name() + "' is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "program '" + name() + "' (" + type() + ", jvm)";
    }
}
