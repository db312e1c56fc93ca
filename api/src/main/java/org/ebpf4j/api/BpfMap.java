package org.ebpf4j.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.spec.MapType;

/**
 * A loaded map, seen from Java: keys and values as bytes in the map's layout (little endian, C layout). Operations
 * follow {@code bpf(BPF_MAP_*)}: failures are {@link MapException}s with the kernel's errno.
 *
 * <p>Per-CPU maps hold one value per CPU: {@link #lookupPerCpu} and {@link #updatePerCpu} see all of them.
 *
 * <p>The semantics every implementation must have, down to each errno, are fixed by the contract test
 * {@code org.ebpf4j.api.contract.BpfMapContract} (in this module's test jar), recorded from the Linux kernel.
 */
public interface BpfMap extends AutoCloseable {
    String name();

    MapType type();

    int keySize();

    int valueSize();

    int maxEntries();

    int flags();

    /** The value for {@code key}, or empty when there is none (ENOENT). */
    Optional<byte[]> lookup(byte[] key);

    /**
     * The value for {@code key} with lookup flags: 0, or BPF_F_LOCK to copy it under the {@code bpf_spin_lock} its
     * BTF type holds (EINVAL for a map without one, and for other flags). A value's lock reads as zero.
     */
    default Optional<byte[]> lookup(byte[] key, long flags) {
        if (flags == 0) {
            return lookup(key);
        }
        throw new UnsupportedOperationException(this + ": lookup flags are not supported");
    }

    /**
     * Inserts or replaces a value; {@code flags} is BPF_ANY, BPF_NOEXIST, BPF_EXIST, optionally with BPF_F_LOCK (for
     * values holding a {@code bpf_spin_lock}: the value is written under it). The lock's own bytes are never written.
     */
    void update(byte[] key, byte[] value, long flags);

    /**
     * Prog arrays: puts {@code program}, loaded by the same backend, at {@code key} (a 4-byte index); flags must be
     * BPF_ANY. The kernel's errno: E2BIG past the end, EINVAL for other flags or a program whose type differs from
     * the programs the array serves. {@link #lookup} of a slot gives the program's id.
     */
    default void update(byte[] key, Program program, long flags) {
        throw new UnsupportedOperationException(type() + " map '" + name() + "' holds no programs: only prog arrays"
                + " do");
    }

    /**
     * Maps of maps: puts {@code inner}, created by the same backend, at {@code key}. It must have the inner map
     * template's type, key and value sizes and flags (and, for arrays without BPF_F_INNER_MAP, its max_entries):
     * EINVAL otherwise, as in the kernel. {@link #lookup} of a slot gives the inner map's id.
     */
    default void update(byte[] key, BpfMap inner, long flags) {
        throw new UnsupportedOperationException(type() + " map '" + name() + "' holds no maps: only maps of maps"
                + " do");
    }

    /** Deletes a key; false when there was none (ENOENT). */
    boolean delete(byte[] key);

    /** The key after {@code key} in the map's order, the first key for null, empty after the last. */
    Optional<byte[]> nextKey(byte[] key);

    /** Per-CPU maps: the value of every CPU for {@code key}. */
    Optional<List<byte[]>> lookupPerCpu(byte[] key);

    /** Per-CPU maps: sets the value of every CPU for {@code key}. */
    void updatePerCpu(byte[] key, List<byte[]> values, long flags);

    /** Queues and stacks: adds a value (BPF_EXIST replaces the oldest when full). */
    void push(byte[] value, long flags);

    /** Queues and stacks: removes and returns the next value, or empty. */
    Optional<byte[]> pop();

    /** Queues and stacks: the next value without removing it, or empty. */
    Optional<byte[]> peek();

    /**
     * Bloom filters: whether {@code value} may be in the set (false means certainly not). Other maps: an
     * {@link UnsupportedOperationException}.
     */
    default boolean contains(byte[] value) {
        throw new UnsupportedOperationException("contains is for bloom filters, not " + type() + " map '" + name()
                + "'");
    }

    /**
     * Pins the map in the BPF filesystem at {@code path}, so that it outlives this
     * process and others can open it. Only the kernel backend has a bpffs; others throw
     * {@link UnsupportedOperationException}.
     */
    default void pin(java.nio.file.Path path) {
        throw new UnsupportedOperationException("pinning needs the kernel backend; " + this + " cannot be pinned");
    }

    /** Removes the pin {@link #pin} (or loading, for maps pinned by name) made; the object itself stays. */
    default void unpin() {
        throw new UnsupportedOperationException("pinning needs the kernel backend; " + this + " is not pinned");
    }

    /** Makes the map read-only to user space (BPF_MAP_FREEZE). */
    void freeze();

    /** Every key, in the map's iteration order (through {@link #nextKey}). */
    default List<byte[]> keys() {
        List<byte[]> keys = new ArrayList<>();
        for (Optional<byte[]> k = nextKey(null); k.isPresent(); k = nextKey(k.get())) {
            keys.add(k.get());
        }
        return keys;
    }

    @Override
    void close();
}
