package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.HelperFunction.*;

import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.MemoryAccessException;

/**
 * The helpers that send records to user space, under the kernel's ids: the ring buffer's
 * ({@code bpf_ringbuf_output/reserve/submit/discard/query}) and {@code bpf_perf_event_output}. A map argument of
 * the wrong type stops the program with a fault (the kernel's verifier refuses such programs).
 */
public final class EventHelpers {
    private EventHelpers() {}

    /** {@code helpers} with the ring buffer helpers and {@code bpf_perf_event_output} added. */
    public static HelperRegistry register(HelperRegistry helpers) {
        return helpers
                .with(RINGBUF_OUTPUT.value(), RINGBUF_OUTPUT.kernelName(),
                        (c, map, data, size, flags, r5) -> ring(map).output(c, data, size, flags))
                .with(RINGBUF_RESERVE.value(), RINGBUF_RESERVE.kernelName(),
                        (c, map, size, flags, r4, r5) -> ring(map).reserve(size, flags))
                .with(RINGBUF_SUBMIT.value(), RINGBUF_SUBMIT.kernelName(),
                        (c, record, flags, r3, r4, r5) -> {
                            RingBufferMap.commit(record, flags, false);
                            return 0;
                        })
                .with(RINGBUF_DISCARD.value(), RINGBUF_DISCARD.kernelName(),
                        (c, record, flags, r3, r4, r5) -> {
                            RingBufferMap.commit(record, flags, true);
                            return 0;
                        })
                .with(RINGBUF_QUERY.value(), RINGBUF_QUERY.kernelName(),
                        (c, map, flags, r3, r4, r5) -> ring(map).query(flags))
                .with(PERF_EVENT_OUTPUT.value(), PERF_EVENT_OUTPUT.kernelName(),
                        (c, ctx, map, flags, data, size) -> perfEventArray(map).output(c, flags, data, size));
    }

    private static RingBufferMap ring(long handle) {
        if (JvmMap.ofHandle(handle) instanceof RingBufferMap ring) {
            return ring;
        }
        throw new MemoryAccessException(JvmMap.ofHandle(handle) + " is not a RINGBUF map");
    }

    private static PerfEventArrayMap perfEventArray(long handle) {
        if (JvmMap.ofHandle(handle) instanceof PerfEventArrayMap array) {
            return array;
        }
        throw new MemoryAccessException(JvmMap.ofHandle(handle) + " is not a PERF_EVENT_ARRAY map");
    }
}
