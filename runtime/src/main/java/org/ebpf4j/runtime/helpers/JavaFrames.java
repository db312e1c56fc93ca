package org.ebpf4j.runtime.helpers;

import java.security.CodeSource;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Java stack frames as the 64-bit instruction addresses of BPF stack traces: {@code method << 32 | bytecode index},
 * where {@code method} numbers each distinct method (class, name, descriptor) from 1 in the order first seen, so
 * equal frames give equal addresses and stack ids in a stack trace map are stable for the life of the JVM.
 * {@link #describe} is the symbol table (the kernel's {@code /proc/kallsyms} for these addresses).
 */
public final class JavaFrames {
    private JavaFrames() {}

    /**
     * Whether a class is ebpf4j's runtime (loaded from the runtime's own jar or class directory, hidden classes of
     * the JIT included): its frames are the machinery that runs a program, not what made it run.
     */
    private static final ClassValue<Boolean> RUNTIME = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            CodeSource own = JavaFrames.class.getProtectionDomain().getCodeSource();
            CodeSource theirs = type.getProtectionDomain().getCodeSource();
            return own != null && theirs != null && Objects.equals(own.getLocation(), theirs.getLocation());
        }
    };
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private static final Map<String, Integer> METHOD_IDS = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    private static final Map<Long, StackTraceElement> FRAMES = new ConcurrentHashMap<>();

    /**
     * The calling thread's frames outside ebpf4j's runtime, innermost first, at most {@code maxDepth}: what made the
     * running program run.
     */
    public static long[] caller(int maxDepth) {
        if (maxDepth <= 0) {
            return new long[0];
        }
        return WALKER.walk(frames -> frames
                .dropWhile(f -> RUNTIME.get(f.getDeclaringClass()))
                .limit(maxDepth)
                .mapToLong(JavaFrames::address)
                .toArray());
    }

    /** The address of a frame. */
    static long address(StackWalker.StackFrame frame) {
        String method = frame.getClassName() + "." + frame.getMethodName() + frame.getDescriptor();
        int id = METHOD_IDS.computeIfAbsent(method, m -> NEXT_ID.getAndIncrement());
        long address = (long) id << 32 | (frame.getByteCodeIndex() & 0xffff_ffffL);
        FRAMES.putIfAbsent(address, frame.toStackTraceElement());
        return address;
    }

    /** The frame at an address this class gave, as a stack trace element; empty for any other number. */
    public static Optional<StackTraceElement> describe(long address) {
        return Optional.ofNullable(FRAMES.get(address));
    }
}
