package org.ebpf4j.runtime.maps;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.spec.Errno;

/**
 * The keys of an {@link ElementStore}: each slot's key bytes in one preallocated array, the slots chained into
 * hash buckets as the kernel's htab chains its elements. A lookup hashes and compares the caller's bytes where they
 * lie (an array and an offset), so it allocates nothing.
 *
 * <h2>Concurrency</h2>
 * Lookups take no lock; the writers of a bucket hold its lock ({@link ElementStore} serializes them), and a free slot
 * belongs to the one writer that took it from the pool.
 * <ul>
 *   <li>A chain ends in a marker naming its bucket (the kernel's hlist_nulls value): a slot may be freed and
 *       reused in another bucket while a lookup stands on it, so the lookup may wander into another chain; when it
 *       ends at another bucket's marker it starts over, as the kernel's lookup does.</li>
 *   <li>Each slot's key is guarded by a sequence number, odd while the key is being written: a lookup checks that
 *       the number of each slot it passes did not change while it read the slot's key and link, and starts over
 *       otherwise. So it never answers with a slot whose key it read half-rewritten, nor follows the link of a
 *       slot that was reused under it past the element it looks for (the kernel's preallocated htab checks
 *       neither).</li>
 *   <li>Inserts link the new slot first in its chain; deletes unlink it and leave its link intact, so a lookup
 *       standing on it walks on; a replacement puts the new slot in the old one's place with one store, so a lookup
 *       of that key finds the old or the new element, never neither.</li>
 * </ul>
 */
final class KeyIndex {
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle BYTES = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final long MULTIPLIER = 0x9e37_79b9_7f4a_7c15L;

    private final int keySize;
    private final byte[] keys;
    private final int[] hashes;
    private final int[] sequence;
    /** The slot after each slot in its chain, or the end marker of the chain's bucket. */
    private final int[] next;
    /** Whether a slot is in a chain (an element of the map): what walks and eviction look at. */
    private final byte[] linked;
    private final int[] heads;
    private final int mask;

    /**
     * @param buckets a power of two
     * @throws MapException E2BIG when the keys do not fit one array, as values that do not fit one region
     */
    KeyIndex(String mapName, int keySize, int slots, int buckets) {
        long bytes = (long) slots * keySize;
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new MapException(mapName, "create (" + bytes + " bytes of keys)", Errno.E2BIG);
        }
        this.keySize = keySize;
        this.keys = new byte[(int) bytes];
        this.hashes = new int[slots];
        this.sequence = new int[slots];
        this.next = new int[slots];
        this.linked = new byte[slots];
        this.heads = new int[buckets];
        this.mask = buckets - 1;
        for (int b = 0; b < buckets; b++) {
            heads[b] = end(b);
        }
    }

    /** The kernel's bucket count for {@code maxEntries} elements: the next power of two. */
    static int buckets(int maxEntries) {
        return maxEntries <= 1 ? 1 : Integer.highestOneBit(maxEntries - 1) << 1;
    }

    /** A chain's end marker: negative, so never a slot, and naming the bucket. */
    private static int end(int bucket) {
        return ~bucket;
    }

    /** The hash of the key at {@code offset} of {@code key}. */
    int hash(byte[] key, int offset) {
        long h = keySize;
        int i = 0;
        for (; i + 8 <= keySize; i += 8) {
            h = mix(h, LittleEndian.get(key, offset + i, 8));
        }
        if (i + 4 <= keySize) {
            h = mix(h, LittleEndian.get(key, offset + i, 4));
            i += 4;
        }
        if (i < keySize) {
            long tail = 0;
            for (int shift = 0; i < keySize; i++, shift += 8) {
                tail |= (key[offset + i] & 0xffL) << shift;
            }
            h = mix(h, tail);
        }
        h ^= h >>> 32;
        return (int) (h * MULTIPLIER >>> 32);
    }

    private static long mix(long h, long word) {
        long m = (h ^ word) * MULTIPLIER;
        return m ^ (m >>> 29);
    }

    /** The lock stripe of a hash's bucket, out of {@code stripes} (a power of two). */
    int stripe(int hash, int stripes) {
        return hash & mask & (stripes - 1);
    }

    /** The linked slot holding the key at {@code offset} of {@code key} (whose hash is {@code hash}), or -1. */
    int find(byte[] key, int offset, int hash) {
        int bucket = hash & mask;
        for (;;) {
            int at = (int) INTS.getAcquire(heads, bucket);
            while (at >= 0) {
                int seq = (int) INTS.getAcquire(sequence, at);
                boolean match = hashes[at] == hash && sameKey(at, key, offset);
                int following = (int) INTS.getAcquire(next, at);
                VarHandle.loadLoadFence();
                if ((seq & 1) != 0 || (int) INTS.getAcquire(sequence, at) != seq) {
                    // The slot got a new key meanwhile: neither its key nor its link say anything about this chain.
                    break;
                }
                if (match) {
                    return at;
                }
                at = following;
            }
            if (at == end(bucket)) {
                return -1;
            }
        }
    }

    private boolean sameKey(int slot, byte[] key, int offset) {
        int from = slot * keySize;
        // u32 and u64 keys (addresses, ids) are most maps' keys: one compare instead of Arrays.equals' range checks
        // and loop, about a fifth of a lookup in MapHelperBenchmark.
        return switch (keySize) {
            case 4 -> LittleEndian.get(keys, from, 4) == LittleEndian.get(key, offset, 4);
            case 8 -> LittleEndian.get(keys, from, 8) == LittleEndian.get(key, offset, 8);
            default -> Arrays.equals(keys, from, from + keySize, key, offset, offset + keySize);
        };
    }

    /** Whether a slot holds an element now. */
    boolean linked(int slot) {
        return (byte) BYTES.getAcquire(linked, slot) != 0;
    }

    /**
     * Copies the key of a linked slot into {@code into}; false when the slot holds no element, or one being written
     * (a walk racing an insert may miss it, as the kernel's may).
     */
    boolean copyKey(int slot, byte[] into) {
        int seq = (int) INTS.getAcquire(sequence, slot);
        if ((seq & 1) != 0 || !linked(slot)) {
            return false;
        }
        System.arraycopy(keys, slot * keySize, into, 0, keySize);
        VarHandle.loadLoadFence();
        return (int) INTS.getAcquire(sequence, slot) == seq;
    }

    /**
     * The stripe of a linked slot's bucket as of {@link #version}; -1 when it holds no element. For eviction, which
     * picks a victim before holding its lock and then checks with {@link #stillLinked} under it.
     */
    int stripeOf(int slot, int version, int stripes) {
        return (version & 1) != 0 || !linked(slot) ? -1 : stripe(hashes[slot], stripes);
    }

    /** The slot's sequence number: it changes whenever the slot gets a new key. */
    int version(int slot) {
        return (int) INTS.getAcquire(sequence, slot);
    }

    /** Whether the slot still holds the element it held at {@code version} (under that element's bucket lock). */
    boolean stillLinked(int slot, int version) {
        return version(slot) == version && linked(slot);
    }

    /** Gives a free slot the key at {@code offset} of {@code key} and links it first in its chain (bucket locked). */
    void link(int slot, byte[] key, int offset, int hash) {
        writeKey(slot, key, offset, hash);
        int bucket = hash & mask;
        next[slot] = heads[bucket];
        BYTES.setRelease(linked, slot, (byte) 1);
        INTS.setRelease(heads, bucket, slot);
    }

    /** Gives a free slot the key of {@code old} and puts it in the place of {@code old} in its chain (bucket locked). */
    void replace(int old, int slot) {
        writeKey(slot, keys, old * keySize, hashes[old]);
        next[slot] = next[old];
        BYTES.setRelease(linked, slot, (byte) 1);
        relink(old, slot);
        BYTES.setRelease(linked, old, (byte) 0);
    }

    /** Takes a slot out of its chain (bucket locked); its own link stays for lookups standing on it. */
    void unlink(int slot) {
        relink(slot, next[slot]);
        BYTES.setRelease(linked, slot, (byte) 0);
    }

    /** Points whatever points to {@code slot} in its chain (the head or the slot before it) to {@code to}. */
    private void relink(int slot, int to) {
        int bucket = hashes[slot] & mask;
        int at = heads[bucket];
        if (at == slot) {
            INTS.setRelease(heads, bucket, to);
            return;
        }
        while (next[at] != slot) {
            at = next[at];
        }
        INTS.setRelease(next, at, to);
    }

    /** Writes a free slot's key under its sequence number, odd meanwhile. */
    private void writeKey(int slot, byte[] key, int offset, int hash) {
        int seq = sequence[slot];
        INTS.setOpaque(sequence, slot, seq + 1);
        VarHandle.storeStoreFence();
        System.arraycopy(key, offset, keys, slot * keySize, keySize);
        hashes[slot] = hash;
        INTS.setRelease(sequence, slot, seq + 2);
    }
}
