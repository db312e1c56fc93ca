package org.ebpf4j.runtime.maps;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.runtime.helpers.Callback;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH: preallocated elements under a hash index that
 * lookups read without locks ({@link ElementStore} explains the concurrency). A full hash map refuses new keys with
 * E2BIG; a full LRU map evicts the least recently used element instead.
 *
 * <p>BPF_F_NO_COMMON_LRU (one LRU list per CPU in the kernel) is accepted and recorded; ebpf4j keeps one common
 * CLOCK for both, so which element is evicted may differ from the kernel's choice, never the map's capacity.
 * BPF_F_NO_PREALLOC is accepted for hashes; ebpf4j preallocates anyway (the values are one region).
 */
final class HashTableMap extends JvmMap {
    private final ElementStore store;

    HashTableMap(MapSpec spec, int cpus, int lockOffset) {
        super(spec, cpus);
        boolean lru = spec.type() == MapType.LRU_HASH || spec.type() == MapType.LRU_PERCPU_HASH;
        ValueStorage values = new ValueStorage(spec.name(), spec.valueSize(), this.cpus,
                ElementStore.slots(spec.maxEntries()), !readOnlyForPrograms(), lockOffset);
        this.store = new ElementStore(spec.name(), spec.keySize(), values, spec.maxEntries(), Errno.E2BIG, lru,
                !perCpu);
    }

    @Override
    public boolean hasSpinLock() {
        return store.values.lockOffset != SpinLockField.NONE;
    }

    /** Elements in the map now. */
    public int size() {
        return store.size();
    }

    // The program side reads keys and values where they lie (the stack), so that lookups, updates and deletes
    // allocate nothing; arguments elsewhere are copied first.

    @Override
    long lookup(HelperContext context, long key) {
        Region k = inPlace(context, key, keySize());
        int slot = k != null ? store.find(k.array(), at(k, key), true)
                : store.find(readBytes(context, key, keySize()), 0, true);
        return slot < 0 ? 0 : store.values.pointer(slot, cpuOf(context));
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        int cpu = cpuOf(context);
        Region k = inPlace(context, key, keySize());
        Region v = inPlace(context, value, valueSize());
        if (k == null || v == null) {
            return store(readBytes(context, key, keySize()), 0, readBytes(context, value, valueSize()), 0, cpu, flags);
        }
        return store(k.array(), at(k, key), v.array(), at(v, value), cpu, flags);
    }

    /**
     * The kernel's order of checks: flags, BPF_F_LOCK, then existence and room. With BPF_F_LOCK an existing
     * element's value is written in place under its lock (the kernel's htab_map_update_elem); a new key is
     * inserted as without it.
     */
    private long store(byte[] key, int keyOffset, byte[] value, int valueOffset, int cpu, long flags) {
        if (badUpdateFlags(flags) || (wantsLock(flags) && !hasSpinLock())) {
            return Errno.EINVAL.negated();
        }
        return store.update(key, keyOffset, value, valueOffset, cpu, mode(flags), wantsLock(flags));
    }

    @Override
    long delete(HelperContext context, long key) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        Region k = inPlace(context, key, keySize());
        return k != null ? store.delete(k.array(), at(k, key)) : store.delete(readBytes(context, key, keySize()), 0);
    }

    @Override
    long forEachElement(HelperContext context, Callback callback, long callbackContext) {
        int cpu = cpuOf(context);
        long visited = 0;
        byte[] k = new byte[keySize()];
        try (CallbackKey key = new CallbackKey(context, keySize())) {
            for (int slot = 0; slot < store.capacity(); slot++) {
                if (!store.copyKey(slot, k)) {
                    continue;
                }
                visited++;
                if (callback.call(handle(), key.set(k), store.values.pointer(slot, cpu), callbackContext, 0) != 0) {
                    break;
                }
            }
        }
        return visited;
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        requirePerCpu(false);
        int slot = store.find(key, 0, false);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.read(slot, 0));
    }

    @Override
    Optional<byte[]> lookupLocked(byte[] key) {
        int slot = store.find(key, 0, false);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.readLocked(slot));
    }

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        requirePerCpu(true);
        checkRead("lookup");
        checkKey("lookup", key);
        int slot = store.find(key, 0, false);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.readAll(slot));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        checkLockFlag("update", flags);
        checkKey("update", key);
        checkValue("update", value);
        requirePerCpu(false);
        throwIfError("update", store(key, 0, value, 0, 0, flags));
    }

    @Override
    public void updatePerCpu(byte[] key, List<byte[]> values, long flags) {
        requirePerCpu(true);
        checkWrite("update");
        checkLockFlag("update", flags);
        checkKey("update", key);
        checkPerCpuValues("update", values);
        throwIfError("update", store(key, 0, ValueStorage.concat(values), 0, ValueStorage.ALL_CPUS, flags));
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        return store.delete(key, 0) == 0;
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        if (key != null) {
            checkKey("next key", key);
        }
        return Optional.ofNullable(store.nextKey(key));
    }

    @Override
    void release() {
        store.values.release();
    }
}
