package org.ebpf4j.elf.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * libc's {@code syscall(2)} and {@code close(2)} through FFM, with errno captured right after the call (the JVM may
 * overwrite errno before Java code could read it otherwise). Only what the kernel load tests need: x86_64 and
 * aarch64 Linux both call {@code bpf} this way; only x86_64's number is written here.
 */
@SuppressWarnings("restricted") // binding libc is the point of this class; surefire enables native access
final class Syscalls {
    /** {@code __NR_bpf} on x86_64. */
    static final long SYS_BPF = 321;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** {@code long syscall(long number, ...)}: variadic from the second argument on, as C declares it. */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("syscall"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));

    private static final MethodHandle CLOSE = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("close"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Syscalls() {}

    /** What a system call returned: the result, or -1 and the errno it set. */
    record Result(long value, int errno) {
        boolean failed() {
            return value < 0;
        }
    }

    /** {@code bpf(cmd, attr, attr.byteSize())}. */
    static Result bpf(int cmd, MemorySegment attr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long value = (long) SYSCALL.invokeExact(state, SYS_BPF, (long) cmd, attr, attr.byteSize());
            return new Result(value, value < 0 ? (int) ERRNO.get(state, 0L) : 0);
        } catch (Throwable t) {
            throw new IllegalStateException("bpf(" + cmd + ") could not be called", t);
        }
    }

    static void close(int fd) {
        try {
            int unused = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close(" + fd + ") could not be called", t);
        }
    }
}
