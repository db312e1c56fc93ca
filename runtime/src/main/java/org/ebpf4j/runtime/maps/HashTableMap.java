package org.ebpf4j.runtime.maps;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.runtime.helpers.Callback;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;

/**
 * BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH: preallocated elements under a concurrent index
 * ({@link ElementStore} explains the concurrency). A full hash map refuses new keys with E2BIG; a full LRU map
 * evicts the least recently used element instead.
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
        this.store = new ElementStore(values, spec.maxEntries(), Errno.E2BIG, lru, !perCpu);
    }

    @Override
    public boolean hasSpinLock() {
        return store.values.lockOffset != SpinLockField.NONE;
    }

    /** Elements in the map now. */
    public int size() {
        return store.size();
    }

    @Override
    long lookup(HelperContext context, long key) {
        int slot = store.find(new Key(readBytes(context, key, keySize())), true);
        return slot < 0 ? 0 : store.values.pointer(slot, cpuOf(context));
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        byte[] k = readBytes(context, key, keySize());
        byte[] v = readBytes(context, value, valueSize());
        return store(new Key(k), perCpu ? new NewValue.ForCpu(v, cpuOf(context)) : new NewValue.Single(v), flags);
    }

    /**
     * The kernel's order of checks: flags, BPF_F_LOCK, then existence and room. With BPF_F_LOCK an existing
     * element's value is written in place under its lock (the kernel's htab_map_update_elem); a new key is
     * inserted as without it.
     */
    private long store(Key key, NewValue value, long flags) {
        if (badUpdateFlags(flags) || (wantsLock(flags) && !hasSpinLock())) {
            return Errno.EINVAL.negated();
        }
        return store.update(key, value, mode(flags), wantsLock(flags));
    }

    @Override
    long delete(HelperContext context, long key) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        return store.delete(new Key(readBytes(context, key, keySize())));
    }

    @Override
    long forEachElement(HelperContext context, Callback callback, long callbackContext) {
        int cpu = cpuOf(context);
        long visited = 0;
        try (CallbackKey key = new CallbackKey(context, keySize())) {
            for (int slot = 0; slot < store.capacity(); slot++) {
                Key k = store.keyAt(slot);
                if (k == null) {
                    continue;
                }
                visited++;
                if (callback.call(handle(), key.set(k.bytes()), store.values.pointer(slot, cpu), callbackContext, 0)
                        != 0) {
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
        int slot = store.find(new Key(key.clone()), false);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.read(slot, 0));
    }

    @Override
    Optional<byte[]> lookupLocked(byte[] key) {
        int slot = store.find(new Key(key.clone()), false);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.readLocked(slot));
    }

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        requirePerCpu(true);
        checkRead("lookup");
        checkKey("lookup", key);
        int slot = store.find(new Key(key.clone()), false);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.readAll(slot));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        checkLockFlag("update", flags);
        checkKey("update", key);
        checkValue("update", value);
        requirePerCpu(false);
        throwIfError("update", store(new Key(key.clone()), new NewValue.Single(value.clone()), flags));
    }

    @Override
    public void updatePerCpu(byte[] key, List<byte[]> values, long flags) {
        requirePerCpu(true);
        checkWrite("update");
        checkLockFlag("update", flags);
        checkKey("update", key);
        checkPerCpuValues("update", values);
        throwIfError("update", store(new Key(key.clone()), new NewValue.AllCpus(List.copyOf(values)), flags));
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        return store.delete(new Key(key.clone())) == 0;
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        if (key != null) {
            checkKey("next key", key);
        }
        Key next = store.nextKey(key == null ? null : new Key(key.clone()));
        return next == null ? Optional.empty() : Optional.of(next.bytes());
    }

    @Override
    void release() {
        store.values.release();
    }
}
