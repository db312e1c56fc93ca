package org.ebpf4j.runtime.maps;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.ebpf4j.spec.Errno;

/**
 * One CPU's buffer of a JVM {@code PERF_EVENT_ARRAY}: what a {@code PERF_COUNT_SW_BPF_OUTPUT} event's ring is in
 * the kernel (kernel/events/ring_buffer.c), with the same records. A sample is a {@code perf_event_header}
 * ({@code u32 type = PERF_RECORD_SAMPLE; u16 misc; u16 size}), the raw size ({@code u32}, the program's bytes
 * rounded up so that the record is 8-byte aligned) and the bytes, then padding that is not written (it holds what
 * the buffer held there before, as in the kernel). A sample that does not fit is
 * counted as lost and fails with ENOSPC; the next sample that fits is preceded by a {@code PERF_RECORD_LOST}
 * record ({@code header, u64 id, u64 lost}). As perf's {@code CIRC_SPACE}, at most size - 1 bytes are in use.
 *
 * <p>Producers serialize on a lock (in the kernel one CPU writes, with interrupts nesting); the reader publishes
 * its tail with a release store.
 */
final class PerfRing {
    static final int PERF_RECORD_LOST = 2;
    static final int PERF_RECORD_SAMPLE = 9;
    /** {@code misc} of the samples: the kernel writes PERF_RECORD_MISC_KERNEL, the program running on its side. */
    static final short PERF_RECORD_MISC_KERNEL = 1;
    static final int HEADER_SIZE = 8;
    static final int LOST_RECORD_SIZE = HEADER_SIZE + 16;
    /** A record's size is a {@code u16}. */
    static final int MAX_RECORD_SIZE = 0xffff;
    private static final AtomicLong EVENT_IDS = new AtomicLong();

    final int cpu;
    private final long eventId = EVENT_IDS.incrementAndGet();
    private final long size;
    private final MemorySegment data;
    private final Runnable wakeUp;
    private final ReentrantLock lock = new ReentrantLock();
    /** Samples lost since the last PERF_RECORD_LOST; guarded by the lock. */
    private long lost;
    private volatile long head;
    private volatile long tail;

    PerfRing(int cpu, long size, Runnable wakeUp) {
        this.cpu = cpu;
        this.size = size;
        this.data = Arena.ofAuto().allocate(size, 8);
        this.wakeUp = wakeUp;
    }

    /** The record size of a sample of {@code length} bytes. */
    static long sampleSize(long length) {
        return HEADER_SIZE + ((length + Integer.BYTES + 7) & ~7L);
    }

    /** Writes one sample; 0, or -ENOSPC when the buffer is full. */
    long output(byte[] sample) {
        int recordSize = (int) sampleSize(sample.length);
        lock.lock();
        try {
            int needed = recordSize + (lost > 0 ? LOST_RECORD_SIZE : 0);
            long position = head;
            if (((tail - (position + 1)) & (size - 1)) < needed) {
                lost++;
                return Errno.ENOSPC.negated();
            }
            // The padding is skipped, not written (perf_output_sample's __output_skip): it shows what the buffer
            // held there before.
            int padding = recordSize - HEADER_SIZE - Integer.BYTES - sample.length;
            ByteBuffer record = ByteBuffer.allocate(needed - padding).order(ByteOrder.LITTLE_ENDIAN);
            if (lost > 0) {
                record.putInt(PERF_RECORD_LOST).putShort((short) 0).putShort((short) LOST_RECORD_SIZE)
                        .putLong(eventId).putLong(lost);
                lost = 0;
            }
            record.putInt(PERF_RECORD_SAMPLE).putShort(PERF_RECORD_MISC_KERNEL).putShort((short) recordSize)
                    .putInt(recordSize - HEADER_SIZE - Integer.BYTES).put(sample);
            write(position, record.array());
            head = position + needed;
        } finally {
            lock.unlock();
        }
        wakeUp.run(); // the reader's events ask for a wakeup per sample (wakeup_events = 1)
        return 0;
    }

    private void write(long position, byte[] bytes) {
        long start = position & (size - 1);
        int first = (int) Math.min(bytes.length, size - start);
        MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, start, first);
        MemorySegment.copy(bytes, first, data, ValueLayout.JAVA_BYTE, 0, bytes.length - first);
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    void setTail(long position) {
        tail = position;
    }

    /** The record at {@code position}: a view when contiguous, a copy when it wraps around the end. */
    ByteBuffer record(long position) {
        long start = position & (size - 1);
        int recordSize = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT_UNALIGNED, start + 6));
        if (start + recordSize <= size) {
            return data.asSlice(start, recordSize).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] copy = new byte[recordSize];
        int first = (int) (size - start);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, copy, 0, first);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, copy, first, recordSize - first);
        return ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    }
}
