package org.ebpf4j.runtime.maps;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.ebpf4j.api.PerfBufferReader;

/**
 * The reader of a JVM {@code PERF_EVENT_ARRAY}: one {@link PerfRing} per CPU of the backend (at most
 * {@code max_entries}), stored in the map at the CPU's index while the reader is open, drained CPU by CPU as
 * libbpf's perf buffer and {@code LinuxPerfBuffer} do. Waiting parks on a {@link Condition} (virtual-thread
 * friendly); every sample wakes the reader, as the kernel's events opened with {@code wakeup_events = 1}.
 *
 * <p>One reader per map, used by one thread at a time.
 */
public final class JvmPerfBufferReader implements PerfBufferReader {
    private final PerfEventArrayMap map;
    private final List<PerfRing> rings = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeup = lock.newCondition();
    /** Wakeups so far; guarded by the lock. */
    private long wakeups;
    /** Threads in {@link #consume}'s wait: producers take the lock only when there is one. */
    private volatile int waiters;
    private long lost;
    private boolean closed;

    JvmPerfBufferReader(PerfEventArrayMap map, int pagesPerCpu) {
        if (pagesPerCpu <= 0 || Integer.bitCount(pagesPerCpu) != 1) {
            throw new IllegalArgumentException("pages per CPU must be a power of two, not " + pagesPerCpu);
        }
        this.map = map;
        long size = (long) RingBufferMap.PAGE_SIZE * pagesPerCpu;
        int cpus = Math.min(map.maxEntries(), map.possibleCpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            PerfRing ring = new PerfRing(cpu, size, this::wakeUp);
            rings.add(ring);
            map.install(ring);
        }
    }

    /** A reader of {@code map}, which must be a JVM {@code PERF_EVENT_ARRAY}. */
    public static JvmPerfBufferReader open(JvmMap map, int pagesPerCpu) {
        if (!(map instanceof PerfEventArrayMap array)) {
            throw new IllegalArgumentException(map + " is not a PERF_EVENT_ARRAY map");
        }
        return array.reader(pagesPerCpu);
    }

    @Override
    public int poll(Consumer<ByteBuffer> consumer) {
        if (closed) {
            throw new IllegalStateException("the reader of " + map + " is closed");
        }
        int delivered = 0;
        for (PerfRing ring : rings) {
            delivered += drain(ring, consumer);
        }
        return delivered;
    }

    private int drain(PerfRing ring, Consumer<ByteBuffer> consumer) {
        long head = ring.head();
        long tail = ring.tail();
        int delivered = 0;
        while (tail != head) {
            ByteBuffer record = ring.record(tail);
            int size = Short.toUnsignedInt(record.getShort(6));
            switch (record.getInt(0)) {
                case PerfRing.PERF_RECORD_SAMPLE -> {
                    int rawSize = record.getInt(PerfRing.HEADER_SIZE);
                    consumer.accept(record.slice(PerfRing.HEADER_SIZE + Integer.BYTES, rawSize).asReadOnlyBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN));
                    delivered++;
                }
                case PerfRing.PERF_RECORD_LOST -> lost += record.getLong(PerfRing.HEADER_SIZE + Long.BYTES);
                default -> throw new IllegalStateException("record type " + record.getInt(0) + " in " + map);
            }
            tail += size;
            ring.setTail(tail);
        }
        return delivered;
    }

    @Override
    public int consume(Duration timeout, Consumer<ByteBuffer> consumer) {
        int delivered = poll(consumer);
        if (delivered > 0) {
            return delivered;
        }
        long nanos = timeout.toNanos();
        lock.lock();
        waiters++;
        try {
            // Producers publish the head before they look for waiters, and this looks at the heads after
            // registering: one of the two sees the other, so no wakeup is lost.
            long seen = wakeups;
            while (wakeups == seen && nanos > 0 && !anyRecords()) {
                nanos = wakeup.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiters--;
            lock.unlock();
        }
        return poll(consumer);
    }

    private boolean anyRecords() {
        for (PerfRing ring : rings) {
            if (ring.head() != ring.tail()) {
                return true;
            }
        }
        return false;
    }

    private void wakeUp() {
        if (waiters == 0) {
            return;
        }
        lock.lock();
        try {
            wakeups++;
            wakeup.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long lost() {
        return lost;
    }

    @Override
    public List<Integer> cpus() {
        return rings.stream().map(r -> r.cpu).toList();
    }

    /** Takes the buffers out of the map; the map stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            rings.forEach(map::uninstall);
        }
    }

    @Override
    public String toString() {
        return "reader of " + map;
    }
}
