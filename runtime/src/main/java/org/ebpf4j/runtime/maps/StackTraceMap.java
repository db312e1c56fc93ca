package org.ebpf4j.runtime.maps;

import static org.ebpf4j.spec.MapFlags.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFlags;
import org.ebpf4j.spec.MapSpec;

/**
 * BPF_MAP_TYPE_STACK_TRACE (kernel/bpf/stackmap.c): stack ids to stacks of instruction addresses. A stack's id is
 * its {@code jhash2} (seed 0, over the addresses as 32-bit words) masked to the bucket count, max_entries rounded up
 * to a power of two; each bucket holds one stack, and at most max_entries are stored at once (ENOMEM beyond, as
 * the kernel's preallocated free list). {@code bpf_get_stackid} returns the id of a stack already stored (by hash
 * alone with BPF_F_FAST_STACK_CMP), stores a new one in an empty bucket, replaces a different one with
 * BPF_F_REUSE_STACKID, and answers EEXIST otherwise. With BPF_F_STACK_BUILD_ID a value is a list of
 * {@code struct bpf_stack_build_id}; Java frames have no build id, so each is the kernel's fallback: status
 * BPF_STACK_BUILD_ID_IP and the address. What a stack is in the JVM: {@link org.ebpf4j.runtime.helpers.CallStacks}.
 */
final class StackTraceMap extends JvmMap {
    /** sysctl kernel.perf_event_max_stack's default (PERF_MAX_STACK_DEPTH). */
    static final int MAX_STACK = 127;
    /** {@code sizeof(struct bpf_stack_build_id)}: s32 status, 20 bytes of build id, then a u64 offset or ip. */
    static final int BUILD_ID_ENTRY = 32;
    /** {@code BPF_STACK_BUILD_ID_IP}: no build id, the entry holds the address. */
    static final int BUILD_ID_IP = 2;
    /** Beyond this many stacks the JVM refuses to allocate the buckets (the kernel allows up to 2^31). */
    static final int MAX_ENTRIES = 1 << 24;
    private static final int CREATE_FLAGS = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_STACK_BUILD_ID;

    /** One stored stack. */
    private record Bucket(int hash, long[] addresses) {}

    private final AtomicReferenceArray<Bucket> buckets;
    /** The free list: how many more stacks may be stored. */
    private final Semaphore free;
    private final boolean buildIds;

    StackTraceMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        if (spec.maxEntries() > MAX_ENTRIES) {
            throw new MapException(spec.name(), "create (the JVM runtime's stack trace maps hold at most "
                    + MAX_ENTRIES + " stacks)", Errno.ENOMEM);
        }
        // roundup_pow_of_two(max_entries)
        this.buckets = new AtomicReferenceArray<>(spec.maxEntries() == 1 ? 1
                : Integer.highestOneBit(spec.maxEntries() - 1) << 1);
        this.free = new Semaphore(spec.maxEntries());
        this.buildIds = (spec.flags() & BPF_F_STACK_BUILD_ID) != 0;
    }

    /** stack_map_alloc's checks; null when accepted, else the errno. */
    static Errno refusal(MapSpec spec) {
        int valueSize = spec.valueSize();
        boolean buildIds = (spec.flags() & BPF_F_STACK_BUILD_ID) != 0;
        if ((spec.flags() & ~CREATE_FLAGS) != 0 || spec.maxEntries() == 0 || spec.keySize() != 4 || valueSize < 8
                || valueSize % 8 != 0
                || (buildIds && (valueSize % BUILD_ID_ENTRY != 0 || valueSize / BUILD_ID_ENTRY > MAX_STACK))
                || (!buildIds && valueSize / 8 > MAX_STACK)) {
            return Errno.EINVAL;
        }
        return Integer.toUnsignedLong(spec.maxEntries()) > 1L << 31 ? Errno.E2BIG : null;
    }

    /** Bytes per frame in a value. */
    int entrySize() {
        return buildIds ? BUILD_ID_ENTRY : Long.BYTES;
    }

    boolean buildIds() {
        return buildIds;
    }

    /**
     * {@code bpf_get_stackid} once the stack is known ({@code trace}: at most value_size / entry + skip frames):
     * the id, or -EFAULT (nothing left after skipping), -EEXIST, -ENOMEM.
     */
    long stackId(long[] trace, long flags) {
        int skip = (int) (flags & HelperFlags.BPF_F_SKIP_FIELD_MASK);
        if (trace.length <= skip) {
            return Errno.EFAULT.negated();
        }
        int maxDepth = Math.min(valueSize() / entrySize() + skip, MAX_STACK);
        int count = Math.min(trace.length - skip, maxDepth - skip);
        long[] addresses = Arrays.copyOfRange(trace, skip, skip + count);
        int hash = jhash2(addresses);
        int id = hash & (buckets.length() - 1);
        Bucket bucket = buckets.get(id);
        boolean hashMatches = bucket != null && bucket.hash() == hash;
        if (hashMatches && (flags & HelperFlags.BPF_F_FAST_STACK_CMP) != 0) {
            return id;
        }
        if (hashMatches && Arrays.equals(bucket.addresses(), addresses)) {
            return id;
        }
        if (bucket != null && (flags & HelperFlags.BPF_F_REUSE_STACKID) == 0) {
            return Errno.EEXIST.negated();
        }
        if (!free.tryAcquire()) {
            return Errno.ENOMEM.negated();
        }
        if (buckets.getAndSet(id, new Bucket(hash, addresses)) != null) {
            free.release();
        }
        return id;
    }

    /** The kernel's {@code jhash2} with seed 0 over the addresses as little-endian 32-bit words (lookup3). */
    static int jhash2(long[] addresses) {
        int[] k = new int[addresses.length * 2];
        for (int i = 0; i < addresses.length; i++) {
            k[2 * i] = (int) addresses[i];
            k[2 * i + 1] = (int) (addresses[i] >>> 32);
        }
        int a = 0xdeadbeef + (k.length << 2);
        int b = a;
        int c = a;
        int i = 0;
        int length = k.length;
        while (length > 3) {
            a += k[i];
            b += k[i + 1];
            c += k[i + 2];
            a -= c; a ^= Integer.rotateLeft(c, 4); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 6); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 8); b += a;
            a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
            b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
            c -= b; c ^= Integer.rotateLeft(b, 4); b += a;
            length -= 3;
            i += 3;
        }
        if (length == 0) {
            return c;
        }
        if (length == 3) {
            c += k[i + 2];
        }
        if (length >= 2) {
            b += k[i + 1];
        }
        a += k[i];
        c ^= b; c -= Integer.rotateLeft(b, 14);
        a ^= c; a -= Integer.rotateLeft(c, 11);
        b ^= a; b -= Integer.rotateLeft(a, 25);
        c ^= b; c -= Integer.rotateLeft(b, 16);
        a ^= c; a -= Integer.rotateLeft(c, 4);
        b ^= a; b -= Integer.rotateLeft(a, 14);
        c ^= b; c -= Integer.rotateLeft(b, 24);
        return c;
    }

    /** Stack entries as a map value or {@code bpf_get_stack} writes them: addresses, or build-id fallbacks. */
    static byte[] entries(long[] addresses, boolean buildIds, int size) {
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (long address : addresses) {
            if (buildIds) {
                out.putInt(BUILD_ID_IP).put(new byte[20]).putLong(address);
            } else {
                out.putLong(address);
            }
        }
        return out.array();
    }

    // ---- the program side of the generic helpers: the kernel's verifier refuses them on this map ----

    @Override
    long lookup(HelperContext context, long key) {
        return 0;
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        return Errno.EINVAL.negated();
    }

    @Override
    long delete(HelperContext context, long key) {
        return delete(LittleEndian.get(readBytes(context, key, 4), 0, 4));
    }

    private long delete(long id) {
        if (id >= buckets.length()) {
            return Errno.E2BIG.negated();
        }
        if (buckets.getAndSet((int) id, null) == null) {
            return Errno.ENOENT.negated();
        }
        free.release();
        return 0;
    }

    // ---- the Java side ----

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        long id = LittleEndian.get(key, 0, 4);
        Bucket bucket = id < buckets.length() ? buckets.get((int) id) : null;
        return Optional.ofNullable(bucket).map(b -> entries(b.addresses(), buildIds, valueSize()));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        checkKey("update", key);
        checkValue("update", value);
        throw new MapException(name(), "update", Errno.EINVAL);
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        long result = delete(LittleEndian.get(key, 0, 4));
        if (result == Errno.ENOENT.negated()) {
            return false;
        }
        throwIfError("delete", result);
        return true;
    }

    /** The next stored id; a missing or empty key restarts at the first, as the kernel's. */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        long id = 0;
        if (key != null) {
            checkKey("next key", key);
            id = LittleEndian.get(key, 0, 4);
            id = id >= buckets.length() || buckets.get((int) id) == null ? 0 : id + 1;
        }
        while (id < buckets.length() && buckets.get((int) id) == null) {
            id++;
        }
        if (id >= buckets.length()) {
            return Optional.empty();
        }
        byte[] next = new byte[4];
        LittleEndian.set(next, 0, 4, id);
        return Optional.of(next);
    }

    @Override
    void release() {
        for (int i = 0; i < buckets.length(); i++) {
            buckets.set(i, null);
        }
    }
}
