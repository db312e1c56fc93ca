package org.ebpf4j.runtime.maps;

import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * BPF_MAP_TYPE_ARRAY_OF_MAPS and HASH_OF_MAPS: slots holding maps shaped like the spec's inner map template.
 * A program's lookup gives the inner map's handle (or NULL), which the map helpers take like any map; programs may
 * only look up, as the kernel's verifier allows. User space puts maps with {@link #update(byte[], BpfMap, long)}
 * and reads their ids.
 *
 * <p>Concurrency: array slots are replaced atomically; the hash index is a {@link ConcurrentHashMap} whose updates
 * and deletes serialize on this map (they are rare: user space changes the maps a program reaches).
 */
final class MapOfMaps extends JvmMap {
    private final MapSpec template;
    private final AtomicReferenceArray<JvmMap> array;
    private final ConcurrentHashMap<Key, JvmMap> hash;

    MapOfMaps(MapSpec spec) {
        super(spec, 1);
        this.template = spec.innerMap().orElseThrow();
        boolean isArray = spec.type() == MapType.ARRAY_OF_MAPS;
        this.array = isArray ? new AtomicReferenceArray<>(spec.maxEntries()) : null;
        this.hash = isArray ? null : new ConcurrentHashMap<>();
    }

    /**
     * bpf_map_meta_equal: type, key and value sizes and flags as the template's; arrays also need its max_entries
     * unless the template has BPF_F_INNER_MAP.
     */
    private boolean fits(JvmMap inner) {
        MapSpec s = inner.spec();
        boolean array = template.type() == MapType.ARRAY || template.type() == MapType.PERCPU_ARRAY;
        return s.type() == template.type() && s.keySize() == template.keySize()
                && s.valueSize() == template.valueSize() && s.flags() == template.flags()
                && (!array || (template.flags() & MapFlags.BPF_F_INNER_MAP) != 0
                        || s.maxEntries() == template.maxEntries());
    }

    private JvmMap at(byte[] key) {
        return array != null ? element(FdSlots.index(key)) : hash.get(new Key(key));
    }

    /** The inner map at an array-of-maps index (a u32), or null. */
    private JvmMap element(long index) {
        return index < maxEntries() ? array.get((int) index) : null;
    }

    /**
     * A program's lookup reads the key where it lies: an array of maps its u32 index, a hash of maps the key bytes
     * (a key elsewhere than in an array region is copied first).
     */
    @Override
    long lookup(HelperContext context, long key) {
        JvmMap inner;
        if (array != null) {
            inner = element(context.memory().load(key, 4));
        } else {
            Region k = inPlace(context, key, keySize());
            inner = k != null ? hash.get(new Key(k.array(), at(k, key), keySize()))
                    : at(readBytes(context, key, keySize()));
        }
        return inner == null ? 0 : inner.handle();
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        throw new MemoryAccessException(this + " is filled from user space only: programs can only look it up");
    }

    @Override
    long delete(HelperContext context, long key) {
        throw new MemoryAccessException(this + " is changed from user space only: programs can only look it up");
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        JvmMap inner = at(key.clone());
        return inner == null ? Optional.empty() : Optional.of(FdSlots.u32(inner.id()));
    }

    /** Maps have no file descriptors in the JVM: use {@link #update(byte[], BpfMap, long)}. */
    @Override
    public void update(byte[] key, byte[] value, long flags) {
        throw new UnsupportedOperationException(this + " holds maps, not bytes: update it with a BpfMap");
    }

    @Override
    public void update(byte[] key, BpfMap inner, long flags) {
        checkWrite("update");
        checkKey("update", key);
        if (array != null) {
            // The kernel's order for fd arrays: flags, index, then the map.
            if (flags != MapUpdateFlags.BPF_ANY) {
                throw new MapException(name(), "update", Errno.EINVAL);
            }
            long index = FdSlots.index(key);
            if (index >= maxEntries()) {
                throw new MapException(name(), "update", Errno.E2BIG);
            }
            array.set((int) index, compatible(inner));
            return;
        }
        // Hashes of maps check the map first, then the update as a hash does.
        JvmMap map = compatible(inner);
        if (badUpdateFlags(flags) || wantsLock(flags)) {
            throw new MapException(name(), "update", Errno.EINVAL);
        }
        Key k = new Key(key.clone());
        synchronized (this) {
            boolean exists = hash.containsKey(k);
            if (exists && mode(flags) == MapUpdateFlags.BPF_NOEXIST) {
                throw new MapException(name(), "update", Errno.EEXIST);
            }
            if (!exists && mode(flags) == MapUpdateFlags.BPF_EXIST) {
                throw new MapException(name(), "update", Errno.ENOENT);
            }
            if (!exists && hash.size() >= maxEntries()) {
                throw new MapException(name(), "update", Errno.E2BIG);
            }
            hash.put(k, map);
        }
    }

    private JvmMap compatible(BpfMap inner) {
        if (!(inner instanceof JvmMap map)) {
            throw new MapException(name(), "update (" + inner + " is not a map of this JVM)", Errno.EBADF);
        }
        if (!fits(map)) {
            throw new MapException(name(), "update (" + map + " does not have the inner map's shape)",
                    Errno.EINVAL);
        }
        return map;
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        if (array != null) {
            long index = FdSlots.index(key);
            if (index >= maxEntries()) {
                throw new MapException(name(), "delete", Errno.E2BIG);
            }
            return array.getAndSet((int) index, null) != null;
        }
        synchronized (this) {
            return hash.remove(new Key(key.clone())) != null;
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        if (key != null) {
            checkKey("next key", key);
        }
        if (array != null) {
            return FdSlots.nextIndex(key, maxEntries());
        }
        // Iteration order of the index; a missing key restarts at the first, as the kernel's hash does.
        Iterator<Key> keys = hash.keySet().iterator();
        if (key != null && hash.containsKey(new Key(key))) {
            Key current = new Key(key);
            while (keys.hasNext() && !keys.next().equals(current)) {
                // skip to the key
            }
        }
        return keys.hasNext() ? Optional.of(keys.next().bytes()) : Optional.empty();
    }

    @Override
    void release() {
        if (array != null) {
            for (int i = 0; i < array.length(); i++) {
                array.set(i, null);
            }
        } else {
            hash.clear();
        }
    }
}
