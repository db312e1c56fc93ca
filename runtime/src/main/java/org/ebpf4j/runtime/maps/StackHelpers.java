package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.HelperFunction.GET_STACK;
import static org.ebpf4j.spec.HelperFunction.GET_STACKID;

import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFlags;

/**
 * {@code bpf_get_stackid} and {@code bpf_get_stack} under the kernel's ids, on the stacks the invocation's
 * {@link org.ebpf4j.runtime.helpers.CallStacks} gives (the kernel stack by default, the user stack with
 * {@code BPF_F_USER_STACK}), with kernel/bpf/stackmap.c's flags, depth limits and errors.
 */
public final class StackHelpers {
    private StackHelpers() {}

    private static final long STACKID_FLAGS = HelperFlags.BPF_F_SKIP_FIELD_MASK | HelperFlags.BPF_F_USER_STACK
            | HelperFlags.BPF_F_FAST_STACK_CMP | HelperFlags.BPF_F_REUSE_STACKID;
    private static final long STACK_FLAGS = HelperFlags.BPF_F_SKIP_FIELD_MASK | HelperFlags.BPF_F_USER_STACK
            | HelperFlags.BPF_F_USER_BUILD_ID;

    public static HelperRegistry register(HelperRegistry helpers) {
        return helpers
                .with(GET_STACKID.value(), GET_STACKID.kernelName(),
                        (c, ctx, map, flags, r4, r5) -> getStackId(c, map, flags))
                .with(GET_STACK.value(), GET_STACK.kernelName(),
                        (c, ctx, buf, size, flags, r5) -> getStack(c, buf, size, flags));
    }

    /** {@code long bpf_get_stackid(void *ctx, void *map, u64 flags)}. */
    static long getStackId(HelperContext c, long handle, long flags) {
        if (!(JvmMap.ofHandle(handle) instanceof StackTraceMap map)) {
            throw new MemoryAccessException(JvmMap.ofHandle(handle) + " is not a STACK_TRACE map");
        }
        if ((flags & ~STACKID_FLAGS) != 0) {
            return Errno.EINVAL.negated();
        }
        int skip = (int) (flags & HelperFlags.BPF_F_SKIP_FIELD_MASK);
        int maxDepth = Math.min(map.valueSize() / map.entrySize() + skip, StackTraceMap.MAX_STACK);
        return map.stackId(stack(c, flags, maxDepth), flags);
    }

    /**
     * {@code long bpf_get_stack(void *ctx, void *buf, u32 size, u64 flags)}: the bytes written (the rest of
     * {@code buf} zeroed), or -EINVAL / -EFAULT with all of {@code buf} zeroed.
     */
    static long getStack(HelperContext c, long buf, long size, long flags) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new MemoryAccessException("bpf_get_stack: a buffer of " + Long.toUnsignedString(size) + " bytes");
        }
        int length = (int) size;
        boolean buildIds = (flags & HelperFlags.BPF_F_USER_BUILD_ID) != 0;
        boolean user = (flags & HelperFlags.BPF_F_USER_STACK) != 0;
        int entry = buildIds ? StackTraceMap.BUILD_ID_ENTRY : Long.BYTES;
        if ((flags & ~STACK_FLAGS) != 0 || (buildIds && !user) || length % entry != 0) {
            return fail(c, buf, length, Errno.EINVAL);
        }
        int skip = (int) (flags & HelperFlags.BPF_F_SKIP_FIELD_MASK);
        int maxDepth = Math.min(length / entry + skip, StackTraceMap.MAX_STACK);
        long[] trace = stack(c, flags, maxDepth);
        if (trace.length < skip) {
            return fail(c, buf, length, Errno.EFAULT);
        }
        long[] copied = java.util.Arrays.copyOfRange(trace, skip, trace.length);
        c.memory().write(buf, StackTraceMap.entries(copied, buildIds, length), 0, length);
        return (long) copied.length * entry;
    }

    private static long[] stack(HelperContext c, long flags, int maxDepth) {
        long[] trace = (flags & HelperFlags.BPF_F_USER_STACK) != 0 ? c.callStacks().user(maxDepth)
                : c.callStacks().kernel(maxDepth);
        return trace.length > maxDepth ? java.util.Arrays.copyOf(trace, maxDepth) : trace;
    }

    private static long fail(HelperContext c, long buf, int length, Errno errno) {
        c.memory().write(buf, new byte[length], 0, length);
        return errno.negated();
    }
}
