package org.ebpf4j.runtime.helpers;

import org.ebpf4j.isa.Alu;
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
     * {@code callback(i, callback_ctx)} for i from 0 while it returns 0; returns the calls made, -EINVAL for flags,
     * or -E2BIG for more than {@link #MAX_LOOPS} loops.
     *
     * <p>With flags 0 this is the code Linux's verifier puts in place of the call (inline_bpf_loop, for every call
     * whose flags it knows to be 0 and whose callback is one function): the count is the whole of r1, and -E2BIG is
     * a 32-bit move, so r0 is 0xfffffff9 (measured against Linux 6.18). The helper itself, which still runs for
     * non-zero flags, would read a 32-bit count and return a 64-bit -E2BIG.
     */
    public static long loop(long loops, long callbackContext, long flags, Callback callback) {
        if (flags != 0) {
            return Errno.EINVAL.negated();
        }
        if (Long.compareUnsigned(loops, MAX_LOOPS) > 0) {
            return Alu.zext32(Errno.E2BIG.negated());
        }
        for (long i = 0; i < loops; i++) {
            // 0 continues, anything else stops (the verifier allows only 1)
            if (callback.call(i, callbackContext, 0, 0, 0) != 0) {
                return i + 1;
            }
        }
        return loops;
    }
}
