package org.ebpf4j.runtime.helpers;

import org.ebpf4j.spec.Errno;

/**
 * Helpers that call back into the program. The engines dispatch them themselves (a callback needs the engine's
 * frames), so they are not in a {@link HelperRegistry}; {@code bpf_for_each_map_elem} is
 * {@code org.ebpf4j.runtime.maps.MapHelpers#forEachElement}.
 */
public final class CallbackHelpers {
    /** BPF_MAX_LOOPS: the most iterations one {@code bpf_loop} runs. */
    public static final long MAX_LOOPS = 1 << 23;

    private CallbackHelpers() {}

    /**
     * {@code long bpf_loop(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags)}: calls
     * {@code callback(i, callback_ctx)} for i from 0 while it returns 0; returns the calls made, or -EINVAL for
     * flags, -E2BIG for more than {@link #MAX_LOOPS} loops.
     */
    public static long loop(long loops, long callbackContext, long flags, Callback callback) {
        long count = loops & 0xffff_ffffL;
        if (flags != 0) {
            return Errno.EINVAL.negated();
        }
        if (count > MAX_LOOPS) {
            return Errno.E2BIG.negated();
        }
        for (long i = 0; i < count; i++) {
            // 0 continues, anything else stops (the verifier allows only 1)
            if (callback.call(i, callbackContext, 0, 0, 0) != 0) {
                return i + 1;
            }
        }
        return count;
    }
}
