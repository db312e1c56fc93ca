package org.ebpf4j.runtime.maps;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * Preallocated elements under a key index: the storage of hash, LRU hash and LPM trie maps. An element is a slot of
 * {@link ValueStorage} and of {@link KeyIndex}; keys come as an array and an offset, so that the helpers hash and
 * compare a program's key where it lies and a lookup allocates nothing.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Lookups take no lock ({@link KeyIndex} explains how they stay right while slots are reused). An element's
 *       key and value are written before its slot is linked, so a reader never sees a half-written new element.</li>
 *   <li>Updates and deletes serialize on one of {@link #STRIPES} locks, chosen by bucket, as the kernel serializes
 *       on bucket locks; different stripes proceed in parallel.</li>
 *   <li>Replacing the value of an existing key of a non-per-CPU map writes a fresh slot and then swaps it in, as
 *       the kernel does, so readers see the old or the new value, never a mix. The old slot returns to the pool at
 *       once and may be reused while a program still holds a pointer into it: the pointer stays memory-safe (the
 *       region lives as long as the map), only the bytes may change under it, exactly the kernel's preallocated
 *       behaviour. Per-CPU maps update in place (each CPU's value is written by its own CPU).</li>
 *   <li>The pool holds {@code max_entries + STRIPES} slots: live elements never exceed {@code max_entries}
 *       ({@link #count}) and each stripe holder takes at most one extra slot at a time, so a replacement always finds
 *       a slot (the kernel keeps per-CPU extra elements for the same reason).</li>
 *   <li>LRU maps evict with the CLOCK algorithm: lookups set a reference byte (a plain racy store: losing one only
 *       makes eviction a little less exact, which the kernel's LRU is too); an insert into a full map sweeps slots,
 *       clearing set bytes and evicting the first element whose byte is clear. Eviction is serialized and locks the
 *       victim's stripe with {@code tryLock}, skipping victims it cannot lock, so it can never deadlock.</li>
 * </ul>
 */
final class ElementStore {
    static final int STRIPES = 64;

    final ValueStorage values;
    final int maxEntries;
    private final int keySize;
    private final int capacity;
    private final Errno whenFull;
    private final boolean lru;
    private final boolean replaceOnUpdate;

    private final KeyIndex index;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final SlotPool pool;
    private final AtomicInteger count = new AtomicInteger();

    private final byte[] referenced;
    private final Object clock = new Object();
    private int hand;

    /**
     * @param whenFull the errno of an insert into a full non-LRU map (E2BIG for hashes, ENOSPC for LPM tries)
     * @param lru evict instead of failing when full
     * @param replaceOnUpdate write updates of existing keys to a fresh slot (non-per-CPU maps)
     */
    ElementStore(String mapName, int keySize, ValueStorage values, int maxEntries, Errno whenFull, boolean lru,
                 boolean replaceOnUpdate) {
        this.values = values;
        this.maxEntries = maxEntries;
        this.keySize = keySize;
        this.capacity = maxEntries + STRIPES;
        this.whenFull = whenFull;
        this.lru = lru;
        this.replaceOnUpdate = replaceOnUpdate;
        try {
            this.index = new KeyIndex(mapName, keySize, capacity, KeyIndex.buckets(maxEntries));
        } catch (RuntimeException e) {
            values.release(); // the map is never returned, so nobody else would
            throw e;
        }
        this.pool = new SlotPool(capacity);
        this.referenced = lru ? new byte[capacity] : null;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** Slots to allocate for a map of {@code maxEntries} elements. */
    static long slots(int maxEntries) {
        return (long) maxEntries + STRIPES;
    }

    /**
     * The slot of the key at {@code offset} of {@code key}, or -1; a program lookup also marks an LRU element as
     * recently used.
     */
    int find(byte[] key, int offset, boolean markUsed) {
        int slot = index.find(key, offset, index.hash(key, offset));
        if (slot >= 0 && markUsed && lru && referenced[slot] == 0) {
            referenced[slot] = 1;
        }
        return slot;
    }

    /** Slots a walk over every element visits ({@link #copyKey}). */
    int capacity() {
        return capacity;
    }

    /**
     * Copies the key living in a slot into {@code into}; false when the slot holds none. A walk over every slot
     * visits each element that stays put; one that an update moves meanwhile may be seen twice or not at all, as the
     * kernel's bucket walk may.
     */
    boolean copyKey(int slot, byte[] into) {
        return index.copyKey(slot, into);
    }

    int size() {
        return count.get();
    }

    /**
     * BPF_ANY/BPF_NOEXIST/BPF_EXIST semantics (flags already validated) for the key at {@code keyOffset} of
     * {@code key} and the value(s) at {@code valueOffset} of {@code value} ({@link ValueStorage#write}'s
     * {@code cpu}); returns 0 or -errno. {@code underLock} (BPF_F_LOCK, non-per-CPU values with a lock) writes an
     * existing element in place under its value's lock.
     */
    long update(byte[] key, int keyOffset, byte[] value, int valueOffset, int cpu, long mode, boolean underLock) {
        int hash = index.hash(key, keyOffset);
        ReentrantLock lock = stripes[index.stripe(hash, STRIPES)];
        lock.lock();
        try {
            int old = index.find(key, keyOffset, hash);
            if (old >= 0 && mode == MapUpdateFlags.BPF_NOEXIST) {
                return Errno.EEXIST.negated();
            }
            if (old < 0 && mode == MapUpdateFlags.BPF_EXIST) {
                return Errno.ENOENT.negated();
            }
            if (old >= 0 && underLock) {
                values.writeLocked(old, value, valueOffset);
                return 0;
            }
            if (old >= 0 && !replaceOnUpdate) {
                values.write(old, value, valueOffset, cpu, false);
                return 0;
            }
            int slot = old >= 0 ? pool.take() : reserveNew();
            if (slot < 0) {
                // -1: no slot at all (an LRU sweep that found no victim): the kernel's ENOMEM.
                return slot == -1 ? Errno.ENOMEM.negated() : slot;
            }
            values.write(slot, value, valueOffset, cpu, true);
            if (lru) {
                referenced[slot] = 0;
            }
            if (old >= 0) {
                index.replace(old, slot);
                pool.give(old);
            } else {
                index.link(slot, key, keyOffset, hash);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the key at {@code offset} of {@code key}; returns 0 or -ENOENT. */
    long delete(byte[] key, int offset) {
        int hash = index.hash(key, offset);
        ReentrantLock lock = stripes[index.stripe(hash, STRIPES)];
        lock.lock();
        try {
            int slot = index.find(key, offset, hash);
            if (slot < 0) {
                return Errno.ENOENT.negated();
            }
            index.unlink(slot);
            pool.give(slot);
            count.decrementAndGet();
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The key after {@code key} in slot order; the first key when {@code key} is null or missing (Linux's restart
     * rule for hashes); null after the last. Complete when the map does not change during the walk.
     */
    byte[] nextKey(byte[] key) {
        int from = 0;
        if (key != null) {
            int slot = find(key, 0, false);
            from = slot < 0 ? 0 : slot + 1;
        }
        byte[] next = new byte[keySize];
        for (int slot = from; slot < capacity; slot++) {
            if (index.copyKey(slot, next)) {
                return next;
            }
        }
        return null;
    }

    /**
     * A slot for a new key: counted against max_entries, or taken from the LRU victim; a negative errno (or -1 when
     * no slot could be found) otherwise.
     */
    private int reserveNew() {
        for (int n = count.get(); n < maxEntries; n = count.get()) {
            if (count.compareAndSet(n, n + 1)) {
                int slot = pool.take();
                if (slot < 0) {
                    count.decrementAndGet();
                }
                return slot;
            }
        }
        return lru ? evict() : (int) whenFull.negated();
    }

    /** CLOCK: the first live element not referenced since the hand last passed, taken out of the index. */
    private int evict() {
        synchronized (clock) {
            for (int step = 0; step < 2 * capacity + 1; step++) {
                int slot = hand;
                hand = slot + 1 == capacity ? 0 : slot + 1;
                int version = index.version(slot);
                int stripe = index.stripeOf(slot, version, STRIPES);
                if (stripe < 0) {
                    continue;
                }
                if (referenced[slot] != 0) {
                    referenced[slot] = 0;
                    continue;
                }
                ReentrantLock lock = stripes[stripe];
                if (!lock.tryLock()) {
                    continue;
                }
                try {
                    if (index.stillLinked(slot, version)) {
                        index.unlink(slot);
                        return slot;
                    }
                } finally {
                    lock.unlock();
                }
            }
            return -1;
        }
    }
}
