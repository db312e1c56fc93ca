package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * libc's {@code syscall(2)} and {@code close(2)} through FFM. errno is captured by the downcall itself
 * ({@code captureCallState}): once back in Java, the JVM may already have overwritten it.
 */
@SuppressWarnings("restricted") // binding libc is the point of this class
final class Syscalls {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code long syscall(long number, ...)}: variadic from the second argument on, as C declares it. */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    /** The same with five arguments after the number: {@code perf_event_open(attr, pid, cpu, group_fd, flags)}. */
    private static final MethodHandle SYSCALL5 = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Syscalls() {}

    /** What a system call returned: its value, or -1 and the errno it set. */
    record Result(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    /**
     * {@code __NR_bpf} of this machine, or why there is none: the number differs per architecture and only
     * these two are known here.
     */
    static Optional<Long> bpfNumber() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> Optional.of(321L);
            case "aarch64" -> Optional.of(280L);
            default -> Optional.empty();
        };
    }

    /** {@code bpf(cmd, attr, attr.byteSize())}. */
    static Result bpf(BpfCommand command, MemorySegment attr) {
        long number = bpfNumber().orElseThrow(() -> new UnsupportedOperationException(
                "bpf() is called by its Linux x86_64 or aarch64 number; this is " + System.getProperty("os.name")
                        + "/" + System.getProperty("os.arch")));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long value = (long) SYSCALL.invokeExact(state, number, (long) command.value(), attr, attr.byteSize());
            return new Result(value, value < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(" + command.kernelName() + ") could not be called", t);
        }
    }

    /** {@code __NR_perf_event_open} of this machine (x86_64 298, aarch64 241). */
    static Optional<Long> perfEventOpenNumber() {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Optional.empty();
        }
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> Optional.of(298L);
            case "aarch64" -> Optional.of(241L);
            default -> Optional.empty();
        };
    }

    /** {@code perf_event_open(attr, pid, cpu, groupFd, flags)}. */
    static Result perfEventOpen(MemorySegment attr, int pid, int cpu, int groupFd, long flags) {
        long number = perfEventOpenNumber().orElseThrow(() -> new UnsupportedOperationException(
                "perf_event_open() is called by its Linux x86_64 or aarch64 number; this is "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch")));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long value = (long) SYSCALL5.invokeExact(state, number, attr, (long) pid, (long) cpu, (long) groupFd,
                    flags);
            return new Result(value, value < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw new IllegalStateException("perf_event_open could not be called", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") could not be called", t);
        }
    }
}
