package org.ebpf4j.linux;

import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.api.context.ProgramContext;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;

/** A program loaded into the kernel (the verifier accepted it); {@link #testRun} is {@code BPF_PROG_TEST_RUN}. */
public final class LinuxProgram implements Program {
    /**
     * Room for the packet to grow: XDP programs may move the tail into the frame's tailroom, which the kernel keeps
     * within a page.
     */
    private static final int PACKET_GROWTH = 4096;

    private final ProgramSpec spec;
    private final Fd fd;
    private final String log;
    private final Pin pin = new Pin();

    LinuxProgram(ProgramSpec spec, Fd fd, String log) {
        this.spec = spec;
        this.fd = fd;
        this.log = log;
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

    /**
     * What the kernel's verifier wrote while accepting the program, with the source lines of {@code .BTF.ext}
     * when the object has them; empty when the program was loaded at log level 0 (the kernel then writes none).
     */
    @Override
    public Optional<String> verifierLog() {
        return log.isEmpty() ? Optional.empty() : Optional.of(log);
    }

    /**
     * The kernel's answer: {@code retval} (32 bits, unsigned here), the packet and context after the last run
     * (empty arrays when none went in) and {@code duration}, which the kernel already divides by the repeat count.
     * RAW_TRACEPOINT and SYSCALL runs take a context only, run once, and the kernel measures no duration there;
     * a SYSCALL program's context comes back as the program left it.
     */
    @Override
    public TestRunResult testRun(TestRun run) {
        ProgramCommands.TestRunOutput out = switch (spec.type()) {
            case RAW_TRACEPOINT, SYSCALL -> ProgramCommands.testRunContext(fd(), describe(), run.data(),
                    run.context(), run.repeat(), spec.type() == ProgramType.SYSCALL);
            default -> ProgramCommands.testRun(fd(), describe(), run.data(), run.data().length + PACKET_GROWTH,
                    run.context(), run.repeat());
        };
        return new TestRunResult(Integer.toUnsignedLong(out.retval()), out.dataOut(), out.contextOut(),
                Integer.toUnsignedLong(out.durationNanos()));
    }

    /** The kernel test-runs raw tracepoint and syscall programs; kprobes, tracepoints and perf events it cannot. */
    @Override
    public long run(ProgramContext context) {
        switch (spec.type()) {
            case KPROBE, TRACEPOINT, PERF_EVENT -> throw new UnsupportedOperationException("the kernel cannot"
                    + " test-run " + spec.type() + " programs (BPF_PROG_TEST_RUN says ENOTSUPP); run " + this
                    + " on the JVM backend");
            default -> {
                return Program.super.run(context);
            }
        }
    }

    /** Pins the program at {@code path} (in bpffs, mounted at /sys/fs/bpf when absent). */
    @Override
    public void pin(Path path) {
        pin.pin(fd(), path, describe());
    }

    @Override
    public void unpin() {
        pin.unpin(describe());
    }

    public Optional<Path> pinnedAt() {
        return pin.path();
    }

    /** What the kernel says about the program (id, tag, sizes, maps, BTF, run-time statistics, ...). */
    public KernelProgramInfo info() {
        return ObjectInfo.program(fd(), describe());
    }

    Fd fd() {
        if (fd.isClosed()) {
            throw new IllegalStateException(describe() + " is closed");
        }
        return fd;
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return describe() + " " + fd;
    }

    /** {@code program 'count' (XDP)}: how errors and links name the program. */
    String describe() {
        return "program '" + name() + "' (" + type() + ")";
    }
}
