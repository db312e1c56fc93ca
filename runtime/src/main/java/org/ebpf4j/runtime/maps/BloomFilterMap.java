package org.ebpf4j.runtime.maps;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * BPF_MAP_TYPE_BLOOM_FILTER: push adds a value, peek answers 0 when the value may be present and ENOENT when it
 * certainly is not. {@code map_extra} holds the number of hash functions (1-15; 0 means 5, as in Linux). The bit
 * array is sized as the kernel sizes it, {@code max_entries * hashes / ln 2} rounded up to a power of two; the hash
 * functions are ebpf4j's own, so false positives differ from the kernel's, never the absence of false negatives.
 *
 * <p>Concurrency: bits are set with atomic OR and read with volatile loads; no lock.
 */
final class BloomFilterMap extends JvmMap {
    /** The number of hash functions when {@code map_extra} gives none. */
    static final int DEFAULT_HASHES = 5;
    /** The bits of {@code map_extra} that hold the hash count. */
    static final long HASH_COUNT_MASK = 0xf;

    private final int hashes;
    private final AtomicLongArray bits;
    private final long bitMask;

    BloomFilterMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        int k = (int) (spec.mapExtra() & HASH_COUNT_MASK);
        this.hashes = k == 0 ? DEFAULT_HASHES : k;
        long wanted = Math.max(64, (long) Math.ceil(spec.maxEntries() * (double) hashes / Math.log(2)));
        long size = Long.highestOneBit(wanted - 1) << 1;
        if (size / 64 > Integer.MAX_VALUE - 8) {
            throw new MapException(spec.name(), "create", Errno.E2BIG);
        }
        this.bits = new AtomicLongArray((int) (size / 64));
        this.bitMask = size - 1;
    }

    private long add(byte[] value, long flags) {
        if (flags != MapUpdateFlags.BPF_ANY) {
            return Errno.EINVAL.negated();
        }
        for (int i = 0; i < hashes; i++) {
            long bit = hash(value, i) & bitMask;
            long mask = 1L << bit;
            bits.accumulateAndGet((int) (bit >>> 6), mask, (a, b) -> a | b);
        }
        return 0;
    }

    boolean mayContain(byte[] value) {
        for (int i = 0; i < hashes; i++) {
            long bit = hash(value, i) & bitMask;
            if ((bits.get((int) (bit >>> 6)) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** A 64-bit FNV-1a over the value, seeded per hash function, then mixed (splitmix64's finalizer). */
    private static long hash(byte[] value, int seed) {
        long h = 0xcbf29ce484222325L ^ (seed * 0x9e3779b97f4a7c15L);
        for (byte b : value) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    @Override
    long lookup(HelperContext context, long key) {
        return 0; // programs test membership with peek
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        return Errno.EINVAL.negated();
    }

    @Override
    long delete(HelperContext context, long key) {
        return Errno.EOPNOTSUPP.negated();
    }

    @Override
    long push(HelperContext context, long value, long flags) {
        return add(readBytes(context, value, valueSize()), flags);
    }

    @Override
    long pop(HelperContext context, long value) {
        return Errno.EOPNOTSUPP.negated();
    }

    @Override
    long peek(HelperContext context, long value) {
        return mayContain(readBytes(context, value, valueSize())) ? 0 : Errno.ENOENT.negated();
    }

    /**
     * BPF_MAP_LOOKUP_ELEM on a bloom filter tests a value: here the argument is the value (bloom filters have no
     * keys). Present (the value itself) when it may be in the set, empty when it certainly is not.
     */
    @Override
    public Optional<byte[]> lookup(byte[] value) {
        checkRead("lookup");
        checkValue("lookup", value);
        return mayContain(value) ? Optional.of(value.clone()) : Optional.empty();
    }

    /** BPF_MAP_UPDATE_ELEM on a bloom filter adds the value (the key is empty). */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkKey("update", key);
        push(value, flags);
    }

    @Override
    public void push(byte[] value, long flags) {
        checkWrite("push");
        checkValue("push", value);
        throwIfError("push", add(value, flags));
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        throw new MapException(name(), "delete", Errno.EOPNOTSUPP);
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        throw new MapException(name(), "next key", Errno.EOPNOTSUPP);
    }

    @Override
    public Optional<byte[]> pop() {
        throw new UnsupportedOperationException(this + " has no pop: a bloom filter only adds and tests values");
    }

    /** Whether a value may be in the set (false means certainly not). */
    @Override
    public boolean contains(byte[] value) {
        checkRead("contains");
        checkValue("contains", value);
        return mayContain(value);
    }

    @Override
    public Optional<byte[]> peek() {
        checkRead("peek");
        throw new MapException(name(), "peek (a bloom filter is tested with lookup(value))", Errno.EINVAL);
    }

    @Override
    void release() {}
}
