package org.ebpf4j.runtime.helpers;

/**
 * The call stacks {@code bpf_get_stackid} and {@code bpf_get_stack} see, innermost frame first, as 64-bit
 * instruction addresses. In the kernel the default is the kernel stack below the program and
 * {@code BPF_F_USER_STACK} asks for the user-space stack of the current task. In the JVM runtime the
 * counterparts are:
 *
 * <ul>
 *   <li>the kernel stack: what the attach point that runs the program says called it (an instrumenting attach
 *       point passes the instrumented frames); nothing when it says nothing, as for test runs, whose only "kernel"
 *       is ebpf4j itself;</li>
 *   <li>the user stack: the Java frames of the application thread that made the program run, from the first frame
 *       outside ebpf4j's runtime outwards (for a test run, the method that called {@code testRun} and its
 *       callers), each frame an address of {@link JavaFrames}, which turns it back into a class, method and
 *       line.</li>
 * </ul>
 */
public interface CallStacks {
    /** At most {@code maxDepth} addresses of the kernel stack, innermost first. */
    long[] kernel(int maxDepth);

    /** At most {@code maxDepth} addresses of the user stack, innermost first. */
    long[] user(int maxDepth);

    /** The default: no kernel stack, the calling Java thread's frames as the user stack. */
    static CallStacks javaCaller() {
        return JavaCaller.INSTANCE;
    }

    /** Frames an attach point supplies as the kernel stack (copied), with the calling Java thread as the user stack. */
    static CallStacks withKernelStack(long[] addresses) {
        long[] copy = addresses.clone();
        return new CallStacks() {
            @Override
            public long[] kernel(int maxDepth) {
                return java.util.Arrays.copyOf(copy, Math.min(copy.length, Math.max(maxDepth, 0)));
            }

            @Override
            public long[] user(int maxDepth) {
                return JavaFrames.caller(maxDepth);
            }
        };
    }

    /** The default's implementation. */
    final class JavaCaller implements CallStacks {
        private static final JavaCaller INSTANCE = new JavaCaller();
        private static final long[] NONE = new long[0];

        private JavaCaller() {}

        @Override
        public long[] kernel(int maxDepth) {
            return NONE;
        }

        @Override
        public long[] user(int maxDepth) {
            return JavaFrames.caller(maxDepth);
        }
    }
}
