package org.ebpf4j.runtime.backend;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Executable;
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
    private final PreparedProgram prepared;
    private final Optional<String> verifierLog;
    private final int id = IDS.incrementAndGet();
    private volatile boolean closed;

    JvmProgram(ProgramSpec spec, PreparedProgram prepared, Optional<String> verifierLog) {
        this.spec = spec;
        this.prepared = prepared;
        this.verifierLog = verifierLog;
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
        return prepared.executable();
    }

    @Override
    public TestRunResult testRun(TestRun run) {
        checkOpen();
        try {
            return testRun(spec.type(), spec.expectedAttachType().map(AttachType::value).orElse(0), name(),
                    prepared, run);
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
        return testRun(type, expectedAttachType, name, PreparedProgram.unbounded(executable), run);
    }

    private static TestRunResult testRun(ProgramType type, int expectedAttachType, String name,
                                         PreparedProgram prepared, TestRun run) {
        return switch (type) {
            case XDP -> XdpTestRun.run(name, prepared, run);
            case SOCKET_FILTER -> SkbTestRun.run(name, prepared, SkBuff.SOCKET_FILTER, false, false, run);
            case SCHED_CLS, SCHED_ACT -> SkbTestRun.run(name, prepared, SkBuff.TC, true, true, run);
            case CGROUP_SKB -> SkbTestRun.run(name, prepared, SkBuff.CGROUP_SKB, false, false, run);
            case LWT_IN, LWT_OUT -> SkbTestRun.run(name, prepared, SkBuff.LWT, false, false, run);
            // may_access_direct_pkt_data lets these two write their packet.
            case LWT_XMIT, SK_SKB -> SkbTestRun.run(name, prepared,
                    type == ProgramType.SK_SKB ? SkBuff.SK_SKB : SkBuff.LWT, false, true, run);
            case SK_MSG -> SkMsgTestRun.run(name, prepared, run);
            case FLOW_DISSECTOR -> FlowDissectorTestRun.run(name, prepared, run);
            case NETFILTER -> NetfilterTestRun.run(name, prepared, run);
            case SK_LOOKUP -> SkLookupTestRun.run(name, prepared, run);
            case KPROBE, TRACEPOINT, PERF_EVENT, RAW_TRACEPOINT, SYSCALL, CGROUP_SOCK_ADDR, CGROUP_SOCK, CGROUP_DEVICE,
                 CGROUP_SYSCTL, SOCK_OPS ->
                    ContextTestRun.run(name, prepared, type, expectedAttachType, run);
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
