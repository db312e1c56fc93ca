package org.ebpf4j.api;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * User space's side of a map that programs write records into ({@link RingBufferReader}, {@link PerfBufferReader}).
 * One reader per map and one thread reading at a time; producers (programs) run concurrently on any thread.
 *
 * <p>Each record reaches the consumer as a read-only little-endian {@link ByteBuffer} over the record's bytes,
 * valid only during the call (it may be the map's own memory, reused once the call returns): copy what is kept.
 */
public interface EventReader extends AutoCloseable {
    /**
     * Hands every record available now to {@code consumer}, in the order the map keeps them, and returns how
     * many it handed. A record is released as soon as its consumer call returns, so a consumer that throws gets
     * that record again from the next poll, and none before it.
     */
    int poll(Consumer<ByteBuffer> consumer);

    /**
     * Hands over the available records; when there are none, blocks up to {@code timeout} until a producer wakes
     * the reader up, then hands over what is there. Returns how many records were handed, 0 when the time ran out.
     * Records written without a wakeup (the ring buffer's {@code BPF_RB_NO_WAKEUP}) are handed over only once the
     * reader wakes up for another reason or the time runs out. Friendly to virtual threads on the JVM backend.
     */
    int consume(Duration timeout, Consumer<ByteBuffer> consumer);

    /** Stops reading; the map stays open (its collection closes it). */
    @Override
    void close();
}
