package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFunction.GET_PRANDOM_U32;
import static org.ebpf4j.spec.HelperFunction.KTIME_GET_BOOT_NS;
import static org.ebpf4j.spec.HelperFunction.KTIME_GET_COARSE_NS;
import static org.ebpf4j.spec.HelperFunction.KTIME_GET_NS;
import static org.ebpf4j.spec.HelperFunction.TRACE_PRINTK;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFunction;

/**
 * Helpers that need nothing but the JVM: clocks, random numbers, {@code bpf_trace_printk}. The clocks are all
 * {@link System#nanoTime()}: monotonic like the kernel's, with no suspend time to add for the boot clock and no
 * cheaper coarse clock to offer.
 */
public final class SimpleHelpers {
    private SimpleHelpers() {}

    /** MAX_BPRINTF_BUF: what bpf_trace_printk prints at most, its NUL included. */
    private static final int MAX_PRINTED = 1024;

    /** {@code helpers} with the clocks, {@code bpf_get_prandom_u32} and {@code bpf_trace_printk} to {@code sink}. */
    public static HelperRegistry register(HelperRegistry helpers, TraceSink sink) {
        return with(with(with(with(with(helpers,
                KTIME_GET_NS, (c, r1, r2, r3, r4, r5) -> System.nanoTime()),
                KTIME_GET_BOOT_NS, (c, r1, r2, r3, r4, r5) -> System.nanoTime()),
                KTIME_GET_COARSE_NS, (c, r1, r2, r3, r4, r5) -> System.nanoTime()),
                GET_PRANDOM_U32, (c, r1, r2, r3, r4, r5) -> ThreadLocalRandom.current().nextInt() & 0xffff_ffffL),
                TRACE_PRINTK, (c, format, size, a1, a2, a3) -> tracePrintk(c, sink, format, size, a1, a2, a3));
    }

    private static HelperRegistry with(HelperRegistry helpers, HelperFunction function, Helper helper) {
        return helpers.with(function.value(), function.kernelName(), helper);
    }

    /**
     * {@code long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)}: the format ends at its first NUL, which must
     * lie within {@code fmt_size} bytes; returns the formatted length, or -EINVAL (-ENOSPC) for a format the kernel
     * refuses.
     */
    static long tracePrintk(HelperContext c, TraceSink sink, long format, long size, long a1, long a2, long a3) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            return -Errno.EINVAL.value();
        }
        byte[] bytes = new byte[(int) size];
        try {
            c.memory().read(format, bytes, 0, bytes.length);
        } catch (MemoryAccessException e) {
            return -Errno.EINVAL.value();
        }
        OptionalInt length = PrintkFormat.terminated(bytes);
        if (length.isEmpty()) {
            return -Errno.EINVAL.value();
        }
        String text;
        try {
            text = PrintkFormat.format(new String(bytes, 0, length.getAsInt(), StandardCharsets.ISO_8859_1),
                    new long[] {a1, a2, a3}, c.memory());
        } catch (PrintkFormat.BadFormat e) {
            return -e.errno().value();
        }
        // The kernel prints into a MAX_BPRINTF_BUF (1024) buffer and returns the untruncated length.
        sink.print(text.length() < MAX_PRINTED ? text : text.substring(0, MAX_PRINTED - 1));
        return text.length();
    }
}
