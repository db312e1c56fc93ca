package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.RingBufferFlags.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.runtime.memory.SharedRegions;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;

/**
 * BPF_MAP_TYPE_RINGBUF with the kernel's record format and positions (kernel/bpf/ringbuf.c): a data area of
 * {@code max_entries} bytes (a power-of-two multiple of the page size), a producer position and a consumer position
 * that only grow, and records that start with an 8-byte header: the length, with
 * {@link org.ebpf4j.spec.RingBufferFlags#BPF_RINGBUF_BUSY_BIT} while reserved and
 * {@link org.ebpf4j.spec.RingBufferFlags#BPF_RINGBUF_DISCARD_BIT} once discarded, then the page offset of the header
 * from the start of the kernel's {@code struct bpf_ringbuf}. Records are 8-byte aligned.
 *
 * <p>The kernel maps the data area twice in a row so that a record wrapping around its end is contiguous. Here the
 * area is one shared region of twice the size: a record always starts in the first half at {@code position & mask}
 * and runs on into the second half when it wraps. Only one record can cross the end at a time (reserved bytes never
 * exceed the size), and the first half's bytes it stands for are then free, so no two live records ever overlap.
 * Programs get pointers into that region ({@code bpf_ringbuf_reserve}), valid in every invocation; without a
 * verifier a program could write outside its record, but never outside the region.
 *
 * <p>Concurrency as in the kernel: reservations serialize on a lock (the kernel's spin lock), submissions and
 * discards flip the header with one atomic exchange, the reader publishes its position with a release store.
 */
final class RingBufferMap extends JvmMap {
    /** The page size of the layout (x86_64's): max_entries must be a multiple of it, records store page offsets. */
    static final int PAGE_SIZE = 4096;
    /**
     * Pages of {@code struct bpf_ringbuf} before the data: the bookkeeping page (RINGBUF_PGOFF), the consumer
     * page and the producer page (RINGBUF_POS_PAGES). A header stores this plus its page in the data.
     */
    static final int DATA_PAGE_OFFSET = 3;
    /** RINGBUF_MAX_RECORD_SZ: larger reservations fail whatever the ring's size. */
    private static final long MAX_RECORD_SIZE = 0xffff_ffffL / 4;
    /** The largest ring whose doubled data area fits one region (2 GiB); the kernel allows far larger ones. */
    static final long MAX_SIZE = 1L << 29;
    private static final int LENGTH_MASK = ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /**
     * The open rings, for submit and discard, which get only a record pointer and find its ring by region id:
     * copied on open and close, read with one volatile load and a scan of the (few) rings, without boxing.
     */
    private static volatile RingBufferMap[] open = new RingBufferMap[0];

    private final long size;
    private final long mask;
    private final MemorySegment data;
    private final int regionId;
    /** The data area as a read-only buffer, which readers slice. */
    private final ByteBuffer view;
    private final ReentrantLock reserveLock = new ReentrantLock();
    /** The oldest record that may still be busy (the kernel's pending_pos); guarded by the reserve lock. */
    private long pendingPosition;
    private volatile long producerPosition;
    private volatile long consumerPosition;

    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wakeup = wakeLock.newCondition();
    /** Wakeups since the reader started waiting; guarded by the wake lock. */
    private long wakeups;
    /** Readers waiting for a wakeup: producers take the wake lock only when there is one. */
    private volatile int waiters;

    RingBufferMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        this.size = Integer.toUnsignedLong(spec.maxEntries());
        if (size > MAX_SIZE) {
            throw new MapException(spec.name(), "create (the JVM runtime's ring buffers hold at most " + MAX_SIZE
                    + " bytes)", Errno.ENOMEM);
        }
        this.mask = size - 1;
        // Native memory owned by the garbage collector: a pointer kept after close faults (the region is
        // released), and nothing is freed while a reader or program may still touch it.
        this.data = Arena.ofAuto().allocate(2 * size, PAGE_SIZE);
        this.regionId = SharedRegions.register(Region.of("ring buffer '" + spec.name() + "'", data, true));
        this.view = data.asByteBuffer().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        synchronized (RingBufferMap.class) {
            RingBufferMap[] rings = Arrays.copyOf(open, open.length + 1);
            rings[rings.length - 1] = this;
            open = rings;
        }
    }

    /** The kernel's checks: no key or value, flags only BPF_F_NUMA_NODE, a power-of-two multiple of a page. */
    static boolean badAttributes(MapSpec spec) {
        long entries = Integer.toUnsignedLong(spec.maxEntries());
        return (spec.flags() & ~org.ebpf4j.spec.MapFlags.BPF_F_NUMA_NODE) != 0 || spec.keySize() != 0
                || spec.valueSize() != 0 || Long.bitCount(entries) != 1 || entries % PAGE_SIZE != 0;
    }

    // ---- the program side ----

    /**
     * {@code bpf_ringbuf_reserve}: a pointer to {@code size} bytes in the ring, or 0 when flags are set, the size is
     * too large, or the ring has no room (the consumer, or a record still reserved, is too far behind).
     */
    long reserve(long recordSize, long flags) {
        if (flags != 0 || Long.compareUnsigned(recordSize, MAX_RECORD_SIZE) > 0) {
            return Pointer.NULL;
        }
        long length = align8(recordSize + BPF_RINGBUF_HDR_SZ);
        if (length > size) {
            return Pointer.NULL;
        }
        long consumer = consumerPosition;
        reserveLock.lock();
        try {
            long producer = producerPosition;
            long pending = pendingPosition;
            while (pending < producer) {
                int header = (int) INT.getAcquire(data, pending & mask);
                if ((header & BPF_RINGBUF_BUSY_BIT) != 0) {
                    break;
                }
                pending += align8((header & ~BPF_RINGBUF_DISCARD_BIT) + BPF_RINGBUF_HDR_SZ);
            }
            pendingPosition = pending;
            long newProducer = producer + length;
            // At most size - 1 bytes ahead of the consumer, and of the oldest record still busy.
            if (newProducer - consumer > mask || newProducer - pending > mask) {
                return Pointer.NULL;
            }
            long header = producer & mask;
            mirror(0, size, header + length - size); // what the kernel's second mapping would show there
            data.set(ValueLayout.JAVA_INT, header + 4, DATA_PAGE_OFFSET + (int) (header / PAGE_SIZE));
            INT.setRelease(data, header, (int) recordSize | BPF_RINGBUF_BUSY_BIT);
            producerPosition = newProducer;
            return Pointer.of(regionId, (int) header + BPF_RINGBUF_HDR_SZ);
        } finally {
            reserveLock.unlock();
        }
    }

    /**
     * {@code bpf_ringbuf_submit} and {@code bpf_ringbuf_discard} of the record at {@code record} (a pointer
     * {@code bpf_ringbuf_reserve} returned): clears the busy bit (sets the discard bit) and wakes the reader as the
     * kernel does: always with BPF_RB_FORCE_WAKEUP, never with BPF_RB_NO_WAKEUP, otherwise when the reader has
     * read everything before this record.
     */
    static void commit(long record, long flags, boolean discard) {
        RingBufferMap ring = ofRegion(Pointer.regionId(record));
        long header = Integer.toUnsignedLong(Pointer.offset(record)) - BPF_RINGBUF_HDR_SZ;
        if (ring == null || header < 0 || header >= ring.size || header % 8 != 0
                || ((int) INT.getAcquire(ring.data, header) & BPF_RINGBUF_BUSY_BIT) == 0) {
            throw new MemoryAccessException(Pointer.format(record) + " is no reserved ring buffer record");
        }
        ring.finish(header, flags, discard);
    }

    private static RingBufferMap ofRegion(int regionId) {
        for (RingBufferMap ring : open) {
            if (ring.regionId == regionId) {
                return ring;
            }
        }
        return null;
    }

    private void finish(long header, long flags, boolean discard) {
        int length = (int) INT.getAcquire(data, header);
        mirror(size, 0, header + align8(length(length) + (long) BPF_RINGBUF_HDR_SZ) - size);
        int committed = (length ^ BPF_RINGBUF_BUSY_BIT) | (discard ? BPF_RINGBUF_DISCARD_BIT : 0);
        INT.getAndSet(data, header, committed);
        if ((flags & BPF_RB_FORCE_WAKEUP) != 0
                || ((consumerPosition & mask) == header && (flags & BPF_RB_NO_WAKEUP) == 0)) {
            wakeUp();
        }
    }

    /**
     * Keeps the two halves one memory where a record wraps: copies its {@code wrapped} bytes past the end between
     * the start of the area and the start of the second half, so that bytes a program leaves unwritten, and the
     * bytes later records find there, are those the kernel's double mapping would show.
     */
    private void mirror(long from, long to, long wrapped) {
        if (wrapped > 0) {
            MemorySegment.copy(data, from, data, to, wrapped);
        }
    }

    /** {@code bpf_ringbuf_output}: copies {@code size} bytes from {@code source} into a new record. */
    long output(HelperContext context, long source, long recordSize, long flags) {
        if ((flags & ~(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) != 0) {
            return Errno.EINVAL.negated();
        }
        if (Long.compareUnsigned(recordSize, MAX_RECORD_SIZE) > 0 || recordSize > size) {
            return Errno.EAGAIN.negated();
        }
        // Read before reserving: a faulting read must not leave a busy record behind.
        byte[] bytes = readBytes(context, source, (int) recordSize);
        long record = reserve(recordSize, 0);
        if (record == Pointer.NULL) {
            return Errno.EAGAIN.negated();
        }
        MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, Pointer.offset(record), bytes.length);
        finish(Pointer.offset(record) - BPF_RINGBUF_HDR_SZ, flags, false);
        return 0;
    }

    /** {@code bpf_ringbuf_query}: one of the BPF_RB_* values, 0 for an unknown selector. */
    long query(long what) {
        if (what == BPF_RB_AVAIL_DATA) {
            long consumer = consumerPosition;
            return producerPosition - consumer;
        }
        if (what == BPF_RB_RING_SIZE) {
            return size;
        }
        if (what == BPF_RB_CONS_POS) {
            return consumerPosition;
        }
        if (what == BPF_RB_PROD_POS) {
            return producerPosition;
        }
        return 0;
    }

    // ---- the reader's side ----

    long producerPosition() {
        return producerPosition;
    }

    long consumerPosition() {
        return consumerPosition;
    }

    /** Publishes how far the reader has read: the space before it may be reserved again. */
    void setConsumerPosition(long position) {
        consumerPosition = position;
    }

    /** The header word (length and flag bits) of the record at {@code position}, read with acquire semantics. */
    int header(long position) {
        return (int) INT.getAcquire(data, position & mask);
    }

    /**
     * The {@code length} bytes of the record at {@code position}, contiguous even when the record wraps, as a
     * read-only little-endian view.
     */
    ByteBuffer record(long position, int length) {
        return view.slice((int) (position & mask) + BPF_RINGBUF_HDR_SZ, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int length(int header) {
        return header & LENGTH_MASK;
    }

    static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /**
     * Blocks until a producer wakes the reader, at most {@code timeout}; returns at once when records are already
     * committed or reserved (the kernel's poll reports the ring readable while any are).
     */
    void awaitWakeup(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        wakeLock.lock();
        waiters++;
        try {
            // Producers move the producer position before they look for waiters, and this compares positions
            // after registering: one of the two sees the other, so no wakeup is lost.
            if (producerPosition != consumerPosition) {
                return;
            }
            long seen = wakeups;
            while (wakeups == seen && nanos > 0) {
                nanos = wakeup.awaitNanos(nanos);
            }
        } finally {
            waiters--;
            wakeLock.unlock();
        }
    }

    private void wakeUp() {
        if (waiters == 0) {
            return;
        }
        wakeLock.lock();
        try {
            wakeups++;
            wakeup.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    // ---- the map operations, which a ring buffer does not have: the kernel's ENOTSUPP ----

    @Override
    long lookup(HelperContext context, long key) {
        return Pointer.NULL;
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        return Errno.ENOTSUPP.negated();
    }

    @Override
    long delete(HelperContext context, long key) {
        return Errno.ENOTSUPP.negated();
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        throw new MapException(name(), "lookup", Errno.ENOTSUPP);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        throw new MapException(name(), "update", Errno.ENOTSUPP);
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        throw new MapException(name(), "delete", Errno.ENOTSUPP);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        throw new MapException(name(), "next key", Errno.ENOTSUPP);
    }

    @Override
    void release() {
        synchronized (RingBufferMap.class) {
            open = Arrays.stream(open).filter(r -> r != this).toArray(RingBufferMap[]::new);
        }
        SharedRegions.release(regionId);
        wakeUp();
    }

    /** A reader of this ring (the kernel allows one consumer position, so one reader at a time makes sense). */
    JvmRingBufferReader reader() {
        checkOpen("open a reader");
        return new JvmRingBufferReader(this);
    }
}
