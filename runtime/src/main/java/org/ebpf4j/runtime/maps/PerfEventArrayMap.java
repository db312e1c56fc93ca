package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.MapFlags.*;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFlags;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY: an array of per-CPU output buffers ({@link PerfRing}), indexed by CPU. In the
 * kernel user space stores perf event file descriptors in it; the JVM has no descriptors, so a
 * {@link JvmPerfBufferReader} stores its buffers itself, and a user-space update is the kernel's answer to a bad
 * descriptor (EBADF). Lookups from user space are the kernel's ENOTSUPP; deletes take a buffer out.
 *
 * <p>{@code bpf_perf_event_output} writes to the buffer at the index its flags name ({@code BPF_F_CURRENT_CPU}:
 * the invocation's CPU), which must belong to the invocation's CPU, as a perf event must be active there.
 */
final class PerfEventArrayMap extends JvmMap {
    /** The kernel's ARRAY_CREATE_FLAG_MASK. */
    private static final int CREATE_FLAGS = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | MapCreation.ACCESS_FLAGS
            | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP;

    private final AtomicReferenceArray<PerfRing> rings;
    /** The backend's CPU count: how many buffers a reader opens. */
    final int possibleCpus;

    PerfEventArrayMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        this.possibleCpus = cpus;
        this.rings = new AtomicReferenceArray<>(spec.maxEntries());
    }

    /** libbpf's rule, which the JVM backend follows as a loader: no max_entries means one entry per CPU. */
    static MapSpec sized(MapSpec spec, int cpus) {
        if (spec.type() != MapType.PERF_EVENT_ARRAY || spec.maxEntries() != 0) {
            return spec;
        }
        return new MapSpec(spec.name(), spec.type(), spec.keySize(), spec.valueSize(), cpus, spec.flags(),
                spec.pinning(), spec.numaNode(), spec.mapExtra(), spec.innerMap(), spec.contents(), spec.frozen(),
                spec.btfKeyTypeId(), spec.btfValueTypeId(), spec.origin());
    }

    /** fd_array_map_alloc_check and array_map_alloc_check: 4-byte keys and values (descriptors), array flags. */
    static boolean badAttributes(MapSpec spec) {
        int flags = spec.flags();
        return spec.valueSize() != Integer.BYTES || (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) != 0
                || spec.maxEntries() == 0 || spec.keySize() != Integer.BYTES || (flags & ~CREATE_FLAGS) != 0
                || (flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)) != 0;
    }

    /**
     * {@code bpf_perf_event_output}, the packet programs' form: BPF_F_CTXLEN_MASK appends that many bytes of the
     * packet to the program's bytes (EFAULT when the packet is shorter, or for a program without one).
     */
    long output(HelperContext context, long flags, long source, long length) {
        if ((flags & ~(HelperFlags.BPF_F_INDEX_MASK | HelperFlags.BPF_F_CTXLEN_MASK)) != 0) {
            return Errno.EINVAL.negated();
        }
        byte[] packet = packetBytes(context, (flags & HelperFlags.BPF_F_CTXLEN_MASK) >>> 32);
        if (packet == null) {
            return Errno.EFAULT.negated();
        }
        int cpu = context.cpu();
        long index = flags & HelperFlags.BPF_F_INDEX_MASK;
        if (index == HelperFlags.BPF_F_CURRENT_CPU) {
            index = cpu;
        }
        if (index >= maxEntries()) {
            return Errno.E2BIG.negated();
        }
        PerfRing ring = rings.get((int) index);
        if (ring == null) {
            return Errno.ENOENT.negated();
        }
        if (ring.cpu != cpu) {
            return Errno.EOPNOTSUPP.negated();
        }
        if (Long.compareUnsigned(length, PerfRing.MAX_RECORD_SIZE) > 0
                || PerfRing.sampleSize(length + packet.length) > PerfRing.MAX_RECORD_SIZE) {
            throw new MemoryAccessException("bpf_perf_event_output: a sample of " + Long.toUnsignedString(length)
                    + " + " + packet.length + " bytes does not fit a perf record (" + PerfRing.MAX_RECORD_SIZE
                    + " bytes)");
        }
        byte[] meta = readBytes(context, source, (int) length);
        if (packet.length == 0) {
            return ring.output(meta);
        }
        byte[] sample = java.util.Arrays.copyOf(meta, meta.length + packet.length);
        System.arraycopy(packet, 0, sample, meta.length, packet.length);
        return ring.output(sample);
    }

    /**
     * The first {@code count} bytes of the running program's packet, which the kernel appends to the sample
     * ({@code bpf_skb_event_output}, {@code bpf_xdp_event_output}); null (EFAULT) when there is no packet or it is
     * shorter. The JVM's XDP packets have no fragments, so the length is the linear part's.
     */
    private static byte[] packetBytes(HelperContext context, long count) {
        if (count == 0) {
            return new byte[0];
        }
        long packet = context.packet();
        if (packet == 0) {
            return null;
        }
        var region = context.memory().region(packet);
        if (region == null) {
            return null;
        }
        long available = region.length() - Integer.toUnsignedLong(Pointer.offset(packet));
        return count > available ? null : readBytes(context, packet, (int) count);
    }

    /** Puts a reader's buffer at its CPU's index. */
    void install(PerfRing ring) {
        rings.set(ring.cpu, ring);
    }

    /** Takes a reader's buffer out, unless something else replaced it since. */
    void uninstall(PerfRing ring) {
        rings.compareAndSet(ring.cpu, ring, null);
    }

    // ---- the program side of the generic helpers: the kernel's verifier refuses them on this map ----

    @Override
    long lookup(HelperContext context, long key) {
        return 0;
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        return Errno.ENOTSUPP.negated();
    }

    @Override
    long delete(HelperContext context, long key) {
        return Errno.ENOTSUPP.negated();
    }

    // ---- the Java side ----

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        throw new MapException(name(), "lookup", Errno.ENOTSUPP);
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        checkKey("update", key);
        checkValue("update", value);
        // The value would be a perf event descriptor: the JVM has none, so every one is a bad descriptor.
        throw new MapException(name(), "update (the JVM has no perf event descriptors: open a PerfBufferReader)",
                Errno.EBADF);
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        long index = LittleEndian.get(key, 0, Integer.BYTES);
        if (index >= maxEntries()) {
            throw new MapException(name(), "delete", Errno.E2BIG);
        }
        return rings.getAndSet((int) index, null) != null;
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        long next = 0;
        if (key != null) {
            checkKey("next key", key);
            long index = LittleEndian.get(key, 0, Integer.BYTES);
            next = index < maxEntries() ? index + 1 : 0;
        }
        if (next >= maxEntries()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[Integer.BYTES];
        LittleEndian.set(bytes, 0, Integer.BYTES, next);
        return Optional.of(bytes);
    }

    @Override
    void release() {
        for (int i = 0; i < rings.length(); i++) {
            rings.set(i, null);
        }
    }

    JvmPerfBufferReader reader(int pagesPerCpu) {
        checkOpen("open a reader");
        return new JvmPerfBufferReader(this, pagesPerCpu);
    }
}
