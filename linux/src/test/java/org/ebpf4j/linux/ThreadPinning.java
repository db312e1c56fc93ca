package org.ebpf4j.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Keeps the calling (platform) thread on one CPU while a test needs it: per-CPU kernel state, such as a perf
 * buffer's pending LOST record, only shows when the next sample runs on the same CPU.
 */
@SuppressWarnings("restricted")
final class ThreadPinning implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GET = handle("sched_getaffinity");
    private static final MethodHandle SET = handle("sched_setaffinity");
    private static final MethodHandle GETCPU = LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow("sched_getcpu"), FunctionDescriptor.of(JAVA_INT));
    private static final long MASK_BYTES = 128; // cpu_set_t: 1024 CPUs

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment previous = arena.allocate(MASK_BYTES, 8);

    private ThreadPinning() throws Throwable {
        check((int) GET.invokeExact(0, MASK_BYTES, previous), "sched_getaffinity");
        int cpu = (int) GETCPU.invokeExact();
        MemorySegment one = arena.allocate(MASK_BYTES, 8);
        one.set(JAVA_LONG, (cpu / 64) * 8L, 1L << (cpu % 64));
        check((int) SET.invokeExact(0, MASK_BYTES, one), "sched_setaffinity");
    }

    /** Pins the calling thread to the CPU it is on now, until {@link #close}. */
    static ThreadPinning toCurrentCpu() {
        try {
            return new ThreadPinning();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot pin the thread: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            check((int) SET.invokeExact(0, MASK_BYTES, previous), "sched_setaffinity");
        } catch (Throwable e) {
            throw new IllegalStateException("cannot restore the thread's CPUs: " + e.getMessage(), e);
        } finally {
            arena.close();
        }
    }

    private static MethodHandle handle(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed");
        }
    }
}
