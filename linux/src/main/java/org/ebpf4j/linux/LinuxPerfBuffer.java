package org.ebpf4j.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.PerfBufferReader;
import org.ebpf4j.spec.MapType;

/**
 * The user-space reader of a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}: one {@code PERF_COUNT_SW_BPF_OUTPUT} event per
 * online CPU, its fd stored in the map at the CPU's index (where {@code bpf_perf_event_output(ctx, map,
 * BPF_F_CURRENT_CPU, ...)} writes), and its ring mapped: the {@code perf_event_mmap_page} then {@code pages} data
 * pages. Records are {@code PERF_RECORD_SAMPLE} (the program's bytes) and {@code PERF_RECORD_LOST} (how many
 * samples did not fit), which {@link #lost()} adds up. Unlike a BPF ring buffer, the data is mapped once, so a
 * record wrapping around the end is copied.
 *
 * <p>One reader per map; not thread-safe.
 */
public final class LinuxPerfBuffer implements PerfBufferReader {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    /** {@code struct perf_event_mmap_page}: {@code data_head} and {@code data_tail}. */
    static final long DATA_HEAD = 1024;
    static final long DATA_TAIL = 1032;
    /** {@code struct perf_event_header}: {@code u32 type; u16 misc; u16 size;}. */
    private static final int HEADER_SIZE = 8;
    private static final int PERF_RECORD_LOST = 2;
    private static final int PERF_RECORD_SAMPLE = 9;

    /** One CPU's event and the mapping of its ring. */
    private record CpuRing(int cpu, Fd event, MemorySegment mapping) {}

    private final String name;
    private final LinuxMap map;
    private final long pageSize;
    private final long dataSize;
    private final List<CpuRing> rings;
    private final Epoll epoll;
    private long lost;
    private boolean closed;

    private LinuxPerfBuffer(String name, LinuxMap map, long pageSize, long dataSize, List<CpuRing> rings,
                            Epoll epoll) {
        this.name = name;
        this.map = map;
        this.pageSize = pageSize;
        this.dataSize = dataSize;
        this.rings = List.copyOf(rings);
        this.epoll = epoll;
    }

    /**
     * A reader of {@code map}, a kernel {@code PERF_EVENT_ARRAY}, with {@code pagesPerCpu} data pages (a power of
     * two, as perf requires) per CPU.
     */
    public static LinuxPerfBuffer open(BpfMap map, int pagesPerCpu) {
        if (!(map instanceof LinuxMap array) || array.type() != MapType.PERF_EVENT_ARRAY) {
            throw new IllegalArgumentException(map + " is not a kernel PERF_EVENT_ARRAY map");
        }
        if (pagesPerCpu <= 0 || Integer.bitCount(pagesPerCpu) != 1) {
            throw new IllegalArgumentException("pages per CPU must be a power of two, not " + pagesPerCpu);
        }
        String name = "perf buffer '" + array.name() + "'";
        long pageSize = SharedMapping.pageSize();
        long dataSize = pageSize * pagesPerCpu;
        List<CpuRing> rings = new ArrayList<>();
        Epoll epoll = Epoll.create(name);
        try {
            int cpus = Math.min(array.maxEntries(), RunningKernel.possibleCpus());
            for (int cpu = 0; cpu < cpus; cpu++) {
                Optional<Fd> event = PerfEvents.bpfOutput(cpu);
                if (event.isEmpty()) {
                    continue; // offline
                }
                Fd fd = event.get();
                MemorySegment mapping;
                try {
                    mapping = SharedMapping.map(name + " CPU " + cpu, fd, pageSize + dataSize,
                            SharedMapping.PROT_READ | SharedMapping.PROT_WRITE, 0);
                } catch (RuntimeException e) {
                    fd.close();
                    throw e;
                }
                rings.add(new CpuRing(cpu, fd, mapping));
                epoll.add(fd);
                array.update(u32(cpu), u32(fd.value()), 0);
            }
        } catch (RuntimeException e) {
            release(array, rings, epoll);
            throw e;
        }
        return new LinuxPerfBuffer(name, array, pageSize, dataSize, rings, epoll);
    }

    /**
     * Hands every sample available now to {@code consumer}, CPU by CPU, and returns how many it handed. The buffer
     * is a read-only little-endian view of the program's bytes (the kernel pads them so that the record is 8-byte
     * aligned: up to 7 bytes more than written), valid only during the call.
     */
    @Override
    public int poll(Consumer<ByteBuffer> consumer) {
        if (closed) {
            throw new IllegalStateException(name + " reader is closed");
        }
        int delivered = 0;
        for (CpuRing ring : rings) {
            delivered += drain(ring, consumer);
        }
        return delivered;
    }

    /** Hands over the available samples; when there are none, waits up to {@code timeout} for some (epoll). */
    @Override
    public int consume(Duration timeout, Consumer<ByteBuffer> consumer) {
        int delivered = poll(consumer);
        if (delivered > 0) {
            return delivered;
        }
        epoll.await(timeout);
        return poll(consumer);
    }

    /** Samples the kernel could not write because a ring was full, as its {@code PERF_RECORD_LOST} records said. */
    @Override
    public long lost() {
        return lost;
    }

    /** The CPUs read (the online ones when opened). */
    @Override
    public List<Integer> cpus() {
        return rings.stream().map(CpuRing::cpu).toList();
    }

    /** Takes the events out of the map, unmaps the rings and closes the events; the map stays open. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            release(map, rings, epoll);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private int drain(CpuRing ring, Consumer<ByteBuffer> consumer) {
        MemorySegment page = ring.mapping();
        long head = (long) LONG.getAcquire(page, DATA_HEAD);
        long tail = (long) page.get(ValueLayout.JAVA_LONG, DATA_TAIL);
        int delivered = 0;
        while (tail != head) {
            ByteBuffer record = record(page, tail);
            int type = record.getInt(0);
            int size = Short.toUnsignedInt(record.getShort(6));
            switch (type) {
                case PERF_RECORD_SAMPLE -> {
                    int rawSize = record.getInt(HEADER_SIZE);
                    consumer.accept(record.slice(HEADER_SIZE + Integer.BYTES, rawSize).asReadOnlyBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN));
                    delivered++;
                }
                case PERF_RECORD_LOST -> lost += record.getLong(HEADER_SIZE + Long.BYTES); // after the u64 id
                default -> { } // no other record types are asked for
            }
            tail += size;
            // Published per record, as the ring buffer reader does: the kernel may reuse the space at once.
            LONG.setRelease(page, DATA_TAIL, tail);
        }
        return delivered;
    }

    /** The record at {@code position}: a view when contiguous, a copy when it wraps around the end of the data. */
    private ByteBuffer record(MemorySegment page, long position) {
        MemorySegment data = page.asSlice(pageSize, dataSize);
        long start = position & (dataSize - 1);
        int size = Short.toUnsignedInt(data.get(ValueLayout.JAVA_SHORT, start + 6));
        if (start + size <= dataSize) {
            return data.asSlice(start, size).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] copy = new byte[size];
        int first = (int) (dataSize - start);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, start, copy, 0, first);
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, 0, copy, first, size - first);
        return ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void release(LinuxMap map, List<CpuRing> rings, Epoll epoll) {
        epoll.close();
        for (CpuRing ring : rings) {
            try {
                map.delete(u32(ring.cpu()));
            } catch (IllegalStateException closedMap) {
                // The map was closed first, and its entries with it.
            }
            SharedMapping.unmap(ring.mapping());
            ring.event().close();
        }
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, value).array();
    }
}
