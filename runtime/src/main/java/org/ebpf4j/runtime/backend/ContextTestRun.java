package org.ebpf4j.runtime.backend;

import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.PerfEventData;
import org.ebpf4j.spec.context.ProgramContexts;
import org.ebpf4j.spec.context.PtRegs;
import org.ebpf4j.spec.context.RawTracepointArgs;
import org.ebpf4j.spec.context.SyscallContext;
import org.ebpf4j.spec.context.TracepointRecord;

/**
 * Test runs of the program types whose input is a context alone. RAW_TRACEPOINT and SYSCALL follow
 * {@code bpf_prog_test_run_raw_tp} and {@code bpf_prog_test_run_syscall} (net/bpf/test_run.c): no packet, no
 * repeat, the context exactly as many bytes as the caller gives (raw tracepoint arguments at most 96, a syscall
 * buffer at most U16_MAX), a syscall buffer given back as the program left it. The kernel does not test-run KPROBE,
 * TRACEPOINT and PERF_EVENT programs (ENOTSUPP); the JVM runs them on a context given as bytes ({@code pt_regs},
 * {@code bpf_perf_event_data} or a tracepoint record), read-only as their programs see it, repeatable. Nor does it
 * test-run CGROUP_SOCK_ADDR, CGROUP_SOCK, CGROUP_DEVICE, CGROUP_SYSCTL and SOCK_OPS programs: the JVM runs them
 * on a {@code struct bpf_sock_addr}, {@code bpf_sock}, {@code bpf_cgroup_dev_ctx}, {@code bpf_sysctl} or
 * {@code bpf_sock_ops} given as bytes (zero-padded, {@code sk} unreadable, a sock_ops program's skb empty) and
 * gives the struct back as the program left it (a connect hook's rewritten address, a socket's mark, a sysctl's
 * file position, a sock_ops reply), repeatable.
 *
 * <p>One difference: the kernel refuses a context shorter than the furthest offset its verifier saw the program
 * read (max_ctx_offset, EINVAL) before running; the JVM runs, and a read past the context faults.
 */
final class ContextTestRun {
    private ContextTestRun() {}

    static TestRunResult run(String program, PreparedProgram prepared, ProgramType type, int expectedAttachType,
                             TestRun run) {
        if (run.data().length != 0) {
            throw new TestRunException(program, Errno.EINVAL, type.kernelName() + " programs take no packet data,"
                    + " only a context");
        }
        byte[] in = run.context() == null ? new byte[0] : run.context();
        return switch (type) {
            case RAW_TRACEPOINT -> {
                once(program, type, run);
                bounded(program, in, RawTracepointArgs.MAX_SIZE, "raw tracepoint arguments");
                yield execute(prepared, RawTracepointArgs.layout(in.length), in, 1, false);
            }
            case SYSCALL -> {
                once(program, type, run);
                bounded(program, in, SyscallContext.MAX_SIZE, "a syscall program's context");
                yield execute(prepared, SyscallContext.layout(in.length), in, 1, true);
            }
            case KPROBE -> execute(prepared, PtRegs.LAYOUT, fixed(program, in, PtRegs.SIZE, "pt_regs"),
                    run.repeat(), false);
            case PERF_EVENT -> execute(prepared, PerfEventData.LAYOUT,
                    fixed(program, in, PerfEventData.SIZE, "bpf_perf_event_data"), run.repeat(), false);
            case TRACEPOINT -> {
                bounded(program, in, TracepointRecord.MAX_SIZE, "a tracepoint record");
                yield execute(prepared, TracepointRecord.layout(in.length), in, run.repeat(), false);
            }
            case CGROUP_SOCK_ADDR, CGROUP_SOCK, CGROUP_DEVICE, CGROUP_SYSCTL, SOCK_OPS -> {
                ContextLayout layout = ProgramContexts.of(type, expectedAttachType).orElseThrow(
                        () -> new TestRunException(program, Errno.EINVAL, type.kernelName()
                                + " programs cannot be loaded for attach type " + expectedAttachType));
                yield execute(prepared, layout, fixed(program, in, layout.size(), layout.structName()),
                        run.repeat(), true);
            }
            default -> throw new IllegalArgumentException(type + " has a packet test run");
        };
    }

    private static TestRunResult execute(PreparedProgram prepared, ContextLayout layout, byte[] bytes,
                                         int repeat, boolean givenBack) {
        ContextMemory context = new ContextMemory(layout);
        System.arraycopy(bytes, 0, context.image(), 0, bytes.length);
        Runs.Timed timed = Runs.repeat(prepared, repeat, invocation -> invocation.map(context.region()));
        byte[] out = givenBack ? context.image().clone() : new byte[0];
        return new TestRunResult(timed.returnValue(), new byte[0], out, timed.nanosPerRun());
    }

    /** The kernel's test runs of these types take no repeat count (EINVAL). */
    private static void once(String program, ProgramType type, TestRun run) {
        if (run.repeat() != 1) {
            throw new TestRunException(program, Errno.EINVAL, type.kernelName() + " test runs take no repeat count");
        }
    }

    private static void bounded(String program, byte[] in, int max, String what) {
        if (in.length > max) {
            throw new TestRunException(program, Errno.EINVAL, "a context of " + in.length + " bytes is too long for "
                    + what + " (at most " + max + ")");
        }
    }

    /** A struct context: shorter input is zero-padded; longer input is refused. */
    private static byte[] fixed(String program, byte[] in, int size, String struct) {
        if (in.length > size) {
            throw new TestRunException(program, Errno.EINVAL, "struct " + struct + " holds " + size + " bytes, not "
                    + in.length);
        }
        return java.util.Arrays.copyOf(in, size);
    }
}
