package org.ebpf4j.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.function.Consumer;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.RingBufferReader;
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
public final class LinuxRingBuffer implements RingBufferReader {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** The header's length word without its two flag bits. */
    private static final int LENGTH_MASK =
            ~(RingBufferFlags.BPF_RINGBUF_BUSY_BIT | RingBufferFlags.BPF_RINGBUF_DISCARD_BIT);

    private final String name;
    private final long pageSize;
    private final long mask;
    private final MemorySegment consumerPage;
    /** The producer page, then the data area twice. */
    private final MemorySegment producerAndData;
    private final Epoll epoll;
    private boolean closed;

    private LinuxRingBuffer(String name, long pageSize, long size, MemorySegment consumerPage,
                            MemorySegment producerAndData, Epoll epoll) {
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
        long pageSize = SharedMapping.pageSize();
        long size = Integer.toUnsignedLong(ring.maxEntries());
        String name = "ring buffer '" + ring.name() + "'";
        MemorySegment consumer = SharedMapping.map(name, fd, pageSize,
                SharedMapping.PROT_READ | SharedMapping.PROT_WRITE, 0);
        MemorySegment producer = null;
        Epoll epoll = null;
        try {
            producer = SharedMapping.map(name, fd, pageSize + 2 * size, SharedMapping.PROT_READ, pageSize);
            epoll = Epoll.create(name);
            epoll.add(fd);
            return new LinuxRingBuffer(name, pageSize, size, consumer, producer, epoll);
        } catch (RuntimeException e) {
            if (epoll != null) {
                epoll.close();
            }
            if (producer != null) {
                SharedMapping.unmap(producer);
            }
            SharedMapping.unmap(consumer);
            throw e;
        }
    }

    /**
     * Hands every record available now to {@code consumer}, in order, and returns how many it handed. The buffer
     * is a read-only little-endian view of the kernel's memory, valid only during the call: copy what is kept.
     * The consumer position is published after each record, so a consumer that throws gets that record again
     * from the next poll, and none before it.
     */
    @Override
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
    @Override
    public int consume(Duration timeout, Consumer<ByteBuffer> consumer) {
        int delivered = poll(consumer);
        if (delivered > 0) {
            return delivered;
        }
        epoll.await(timeout);
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
        SharedMapping.unmap(producerAndData);
        SharedMapping.unmap(consumerPage);
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
}
