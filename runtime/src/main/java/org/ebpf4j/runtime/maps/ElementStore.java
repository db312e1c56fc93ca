package org.ebpf4j.runtime.maps;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * Preallocated elements under a key index: the storage of hash, LRU hash and LPM trie maps. An element is a slot
 * of {@link ValueStorage}; the index maps keys to slots.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li>Lookups take no lock: a {@link ConcurrentHashMap} read. An element's value is written before its slot is
 *       published in the index (the map's put/get order the two), so a reader never sees a half-written new
 *       element.</li>
 *   <li>Updates and deletes of one key serialize on one of {@link #STRIPES} stripe locks (chosen by key hash), as
 *       the kernel serializes on bucket locks; different stripes proceed in parallel.</li>
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
    private final int capacity;
    private final Errno whenFull;
    private final boolean lru;
    private final boolean replaceOnUpdate;

    private final ConcurrentHashMap<Key, Integer> index;
    /** The key of each live slot, for iteration and eviction. */
    private final AtomicReferenceArray<Key> keys;
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
    ElementStore(ValueStorage values, int maxEntries, Errno whenFull, boolean lru, boolean replaceOnUpdate) {
        this.values = values;
        this.maxEntries = maxEntries;
        this.capacity = maxEntries + STRIPES;
        this.whenFull = whenFull;
        this.lru = lru;
        this.replaceOnUpdate = replaceOnUpdate;
        this.index = new ConcurrentHashMap<>(Math.min(maxEntries, 1 << 16));
        this.keys = new AtomicReferenceArray<>(capacity);
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

    /** The slot of a key, or -1; a program lookup also marks an LRU element as recently used. */
    int find(Key key, boolean markUsed) {
        Integer slot = index.get(key);
        if (slot == null) {
            return -1;
        }
        if (markUsed && lru && referenced[slot] == 0) {
            referenced[slot] = 1;
        }
        return slot;
    }

    /** Slots a walk over every element visits ({@link #keyAt}). */
    int capacity() {
        return capacity;
    }

    /**
     * The key living in a slot, or null. A walk over every slot visits each element that stays put; one that an
     * update moves meanwhile may be seen twice or not at all, as the kernel's bucket walk may.
     */
    Key keyAt(int slot) {
        return keys.get(slot);
    }

    int size() {
        return count.get();
    }

    /**
     * BPF_ANY/BPF_NOEXIST/BPF_EXIST semantics (flags already validated); returns 0 or -errno. {@code underLock}
     * (BPF_F_LOCK, non-per-CPU values with a lock) writes an existing element in place under its value's lock.
     */
    long update(Key key, NewValue value, long mode, boolean underLock) {
        ReentrantLock lock = stripe(key);
        lock.lock();
        try {
            Integer old = index.get(key);
            if (old != null && mode == MapUpdateFlags.BPF_NOEXIST) {
                return Errno.EEXIST.negated();
            }
            if (old == null && mode == MapUpdateFlags.BPF_EXIST) {
                return Errno.ENOENT.negated();
            }
            if (old != null && underLock) {
                values.writeLocked(old, ((NewValue.Single) value).bytes());
                return 0;
            }
            if (old != null && !replaceOnUpdate) {
                values.write(old, value, false);
                return 0;
            }
            int slot = old != null ? pool.take() : reserveNew();
            if (slot < 0) {
                // -1: no slot at all (an LRU sweep that found no victim): the kernel's ENOMEM.
                return slot == -1 ? Errno.ENOMEM.negated() : slot;
            }
            values.write(slot, value, true);
            if (lru) {
                referenced[slot] = 0;
            }
            keys.set(slot, key);
            index.put(key, slot);
            if (old != null) {
                keys.set(old, null);
                pool.give(old);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** Returns 0 or -ENOENT. */
    long delete(Key key) {
        ReentrantLock lock = stripe(key);
        lock.lock();
        try {
            Integer slot = index.remove(key);
            if (slot == null) {
                return Errno.ENOENT.negated();
            }
            keys.set(slot, null);
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
    Key nextKey(Key key) {
        int from = 0;
        if (key != null) {
            Integer slot = index.get(key);
            from = slot == null ? 0 : slot + 1;
        }
        for (int slot = from; slot < capacity; slot++) {
            Key k = keys.get(slot);
            if (k != null) {
                return k;
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

    /** CLOCK: the first live element not referenced since the hand last passed, removed from the index. */
    private int evict() {
        synchronized (clock) {
            for (int step = 0; step < 2 * capacity + 1; step++) {
                int slot = hand;
                hand = slot + 1 == capacity ? 0 : slot + 1;
                Key victim = keys.get(slot);
                if (victim == null) {
                    continue;
                }
                if (referenced[slot] != 0) {
                    referenced[slot] = 0;
                    continue;
                }
                ReentrantLock lock = stripe(victim);
                if (!lock.tryLock()) {
                    continue;
                }
                try {
                    if (index.remove(victim, slot)) {
                        keys.set(slot, null);
                        return slot;
                    }
                } finally {
                    lock.unlock();
                }
            }
            return -1;
        }
    }

    private ReentrantLock stripe(Key key) {
        int h = key.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }
}
