package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.RingBufferFlags.BPF_RINGBUF_BUSY_BIT;
import static org.ebpf4j.spec.RingBufferFlags.BPF_RINGBUF_DISCARD_BIT;
import static org.ebpf4j.spec.RingBufferFlags.BPF_RINGBUF_HDR_SZ;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;
import org.ebpf4j.api.RingBufferReader;

/**
 * The reader of a JVM {@code RINGBUF} map: the kernel's consumer algorithm (libbpf's {@code ringbuf_process_ring})
 * over {@link RingBufferMap}'s memory. Records reach the consumer as views of the ring, without copies. Waiting
 * parks the thread on a {@link java.util.concurrent.locks.Condition}, so a virtual thread releases its carrier.
 *
 * <p>One reader per ring, used by one thread at a time, as the kernel's single consumer position implies.
 */
public final class JvmRingBufferReader implements RingBufferReader {
    private final RingBufferMap ring;
    private boolean closed;

    JvmRingBufferReader(RingBufferMap ring) {
        this.ring = ring;
    }

    /** A reader of {@code map}, which must be a JVM {@code RINGBUF} map. */
    public static JvmRingBufferReader open(JvmMap map) {
        if (!(map instanceof RingBufferMap ring)) {
            throw new IllegalArgumentException(map + " is not a RINGBUF map");
        }
        return ring.reader();
    }

    @Override
    public int poll(Consumer<ByteBuffer> consumer) {
        checkOpen();
        int delivered = 0;
        long position = ring.consumerPosition();
        boolean progressed = true;
        while (progressed) {
            progressed = false;
            long producer = ring.producerPosition();
            while (position < producer) {
                int header = ring.header(position);
                if ((header & BPF_RINGBUF_BUSY_BIT) != 0) {
                    return delivered; // reserved, not yet submitted: every later record waits for it
                }
                int length = RingBufferMap.length(header);
                long next = position + RingBufferMap.align8(length + (long) BPF_RINGBUF_HDR_SZ);
                if (next > producer) {
                    // Only a program writing over a header (no verifier stopped it) can get here.
                    throw new IllegalStateException(ring + " is corrupt at position " + position + ": a record of "
                            + length + " bytes, but only " + (producer - position) + " are reserved");
                }
                if ((header & BPF_RINGBUF_DISCARD_BIT) == 0) {
                    consumer.accept(ring.record(position, length));
                    delivered++;
                }
                position = next;
                ring.setConsumerPosition(position); // record by record: producers may reuse the space at once
                progressed = true;
            }
        }
        return delivered;
    }

    @Override
    public int consume(Duration timeout, Consumer<ByteBuffer> consumer) {
        int delivered = poll(consumer);
        if (delivered > 0) {
            return delivered;
        }
        try {
            ring.awaitWakeup(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return poll(consumer);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the reader of " + ring + " is closed");
        }
    }

    @Override
    public String toString() {
        return "reader of " + ring;
    }
}
