package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.RingBufferFlags;

/**
 * The user-space reader of a {@code BPF_MAP_TYPE_RINGBUF} map, on the kernel's own memory: the map's fd is mapped
 * as the kernel lays it out, a consumer page (writable: where this reader says how far it has read), then the
 * producer page and the data area, mapped twice in a row so that a record wrapping around the end reads as one
 * contiguous slice. Records are what programs {@code bpf_ringbuf_submit} or {@code bpf_ringbuf_output}; discarded
 * ones are skipped and a reserved, not yet submitted one stops the reader until it is.
 *
 * <p>One reader per ring: the consumer position is shared with the kernel, not between readers. Not thread-safe.
 */
public final class LinuxRingBuffer implements AutoCloseable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 1;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int EPOLL_CTL_ADD = 1;
    private static final int EPOLLIN = 1;
    /** {@code struct epoll_event}: 12 bytes packed on x86_64, 16 on aarch64; room for either. */
    private static final int EPOLL_EVENT_SIZE = 16;
    /** The header's length word without its two flag bits. */
    private static final int LENGTH_MASK =
            ~(RingBufferFlags.BPF_RINGBUF_BUSY_BIT | RingBufferFlags.BPF_RINGBUF_DISCARD_BIT);

    private final String name;
    private final long pageSize;
    private final long mask;
    private final MemorySegment consumerPage;
    /** The producer page, then the data area twice. */
    private final MemorySegment producerAndData;
    private final Fd epoll;
    private boolean closed;

    private LinuxRingBuffer(String name, long pageSize, long size, MemorySegment consumerPage,
                            MemorySegment producerAndData, Fd epoll) {
        this.name = name;
        this.pageSize = pageSize;
        this.mask = size - 1;
        this.consumerPage = consumerPage;
        this.producerAndData = producerAndData;
        this.epoll = epoll;
    }

    /** A reader of {@code map}, which must be a ring buffer loaded into the kernel. */
    public static LinuxRingBuffer open(BpfMap map) {
        if (!(map instanceof LinuxMap ring) || ring.type() != MapType.RINGBUF) {
            throw new IllegalArgumentException(map + " is not a kernel RINGBUF map");
        }
        Fd fd = ring.fd();
        long pageSize = Libc.GETPAGESIZE.call().value();
        long size = Integer.toUnsignedLong(ring.maxEntries());
        String name = "ring buffer '" + ring.name() + "'";
        MemorySegment consumer = mmap(name, fd, pageSize, PROT_READ | PROT_WRITE, 0);
        MemorySegment producer;
        try {
            producer = mmap(name, fd, pageSize + 2 * size, PROT_READ, pageSize);
        } catch (RuntimeException e) {
            munmap(consumer);
            throw e;
        }
        try {
            return new LinuxRingBuffer(name, pageSize, size, consumer, producer, epollOn(name, fd));
        } catch (RuntimeException e) {
            munmap(producer);
            munmap(consumer);
            throw e;
        }
    }

    /**
     * Hands every record available now to {@code consumer}, in order, and returns how many it handed. The buffer
     * is a read-only little-endian view of the kernel's memory, valid only during the call: copy what is kept.
     * The consumer position is published after each record, so a consumer that throws gets that record again
     * from the next poll, and none before it.
     */
    public int poll(Consumer<ByteBuffer> consumer) {
        checkOpen();
        int delivered = 0;
        long consumerPosition = (long) LONG.getAcquire(consumerPage, 0L);
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            long producerPosition = (long) LONG.getAcquire(producerAndData, 0L);
            while (Long.compareUnsigned(consumerPosition, producerPosition) < 0) {
                long header = pageSize + (consumerPosition & mask);
                int length = (int) INT.getAcquire(producerAndData, header);
                if ((length & RingBufferFlags.BPF_RINGBUF_BUSY_BIT) != 0) {
                    // Reserved but not yet submitted or discarded: what follows must wait for it.
                    return delivered;
                }
                progressed = true;
                int dataLength = length & LENGTH_MASK;
                consumerPosition += align8(dataLength + RingBufferFlags.BPF_RINGBUF_HDR_SZ);
                if ((length & RingBufferFlags.BPF_RINGBUF_DISCARD_BIT) == 0) {
                    consumer.accept(producerAndData
                            .asSlice(header + RingBufferFlags.BPF_RINGBUF_HDR_SZ, dataLength)
                            .asByteBuffer().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
                    delivered++;
                }
                // Released record by record, so the producer may reuse the space while later records are read.
                LONG.setRelease(consumerPage, 0L, consumerPosition);
            }
        }
        return delivered;
    }

    /**
     * Hands over the available records; when there are none, waits up to {@code timeout} (epoll on the map's fd)
     * for some and hands those over. Returns how many were handed, 0 when the time ran out (or a signal came).
     */
    public int consume(Duration timeout, Consumer<ByteBuffer> consumer) {
        int delivered = poll(consumer);
        if (delivered > 0) {
            return delivered;
        }
        try (Arena arena = Arena.ofConfined()) {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            Syscalls.Result ready = Libc.EPOLL_WAIT.call(epoll.value(), arena.allocate(EPOLL_EVENT_SIZE), 1, millis);
            if (ready.failed() && ready.errno() != Errno.EINTR.value()) {
                throw new LinuxAttachException("epoll_wait on " + name, ready.errno());
            }
        }
        return poll(consumer);
    }

    /** Unmaps the ring and closes the epoll instance; the map itself stays open (its owner closes it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        epoll.close();
        munmap(producerAndData);
        munmap(consumerPage);
    }

    @Override
    public String toString() {
        return name;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " reader is closed");
        }
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    private static Fd epollOn(String name, Fd map) {
        Syscalls.Result created = Libc.EPOLL_CREATE1.call(EPOLL_CLOEXEC);
        if (created.failed()) {
            throw new LinuxAttachException("epoll_create1 for " + name, created.errno());
        }
        Fd epoll = new Fd((int) created.value());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EPOLL_EVENT_SIZE);
            event.set(ValueLayout.JAVA_INT, 0, EPOLLIN);
            Syscalls.Result added = Libc.EPOLL_CTL.call(epoll.value(), EPOLL_CTL_ADD, map.value(), event);
            if (added.failed()) {
                epoll.close();
                throw new LinuxAttachException("epoll_ctl(EPOLL_CTL_ADD) of " + name, added.errno());
            }
        }
        return epoll;
    }

    private static MemorySegment mmap(String name, Fd fd, long length, int protection, long offset) {
        Syscalls.Result mapped = Libc.MMAP.call(MemorySegment.NULL, length, protection, MAP_SHARED, fd.value(),
                offset);
        if (mapped.failed()) {
            throw new LinuxAttachException("mmap of " + name + " at offset " + offset, mapped.errno());
        }
        return MemorySegment.ofAddress(mapped.value()).reinterpret(length);
    }

    private static void munmap(MemorySegment mapping) {
        Libc.MUNMAP.call(mapping, mapping.byteSize());
    }
}
