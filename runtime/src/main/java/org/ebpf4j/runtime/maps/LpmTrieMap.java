package org.ebpf4j.runtime.maps;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * BPF_MAP_TYPE_LPM_TRIE: keys are {@code struct bpf_lpm_trie_key_u8}, a host-order (little-endian) 4-byte prefix
 * length followed by the address bytes in network order; a lookup finds the entry with the longest prefix that
 * matches the address within the key's own prefix length.
 *
 * <p>Entries are kept in an {@link ElementStore} under their normalized key (bits past the prefix cleared), and a
 * lookup probes the prefix lengths in use from the longest down. That answers exactly what the kernel's trie answers
 * at a cost of one hash probe per prefix length in use; a real trie can come later without changing behaviour.
 * Differences from Linux: iteration (next key) follows slot order rather than the trie's post-order, and returns
 * keys with the bits past the prefix cleared (the kernel returns them as last written).
 */
final class LpmTrieMap extends JvmMap {
    /** Bytes of {@code prefixlen} before the address. */
    static final int PREFIX_LENGTH_BYTES = 4;

    private final ElementStore store;
    private final int maxPrefix;
    /** Prefix lengths that have ever held an entry: lookups skip the others. Only set, never cleared. */
    private final AtomicIntegerArray lengthsInUse;

    LpmTrieMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        this.maxPrefix = (spec.keySize() - PREFIX_LENGTH_BYTES) * 8;
        this.lengthsInUse = new AtomicIntegerArray(maxPrefix + 1);
        ValueStorage values = new ValueStorage(spec.name(), spec.valueSize(), 1,
                ElementStore.slots(spec.maxEntries()), !readOnlyForPrograms());
        this.store = new ElementStore(spec.name(), spec.keySize(), values, spec.maxEntries(), Errno.ENOSPC, false,
                true);
    }

    private static long prefixLength(byte[] key, int at) {
        return LittleEndian.get(key, at, PREFIX_LENGTH_BYTES);
    }

    /** The key for {@code prefix} bits of the address in {@code key}, the bits after them cleared. */
    private byte[] normalized(byte[] key, int prefix) {
        return normalized(key, 0, prefix, new byte[key.length]);
    }

    /** Writes into {@code into} the key of the first {@code prefix} bits of the address at {@code key[at]}. */
    private byte[] normalized(byte[] key, int at, int prefix, byte[] into) {
        Arrays.fill(into, 0, keySize(), (byte) 0);
        LittleEndian.set(into, 0, PREFIX_LENGTH_BYTES, prefix);
        int full = prefix / 8;
        System.arraycopy(key, at + PREFIX_LENGTH_BYTES, into, PREFIX_LENGTH_BYTES, full);
        int rest = prefix % 8;
        if (rest != 0) {
            into[PREFIX_LENGTH_BYTES + full] = (byte) (key[at + PREFIX_LENGTH_BYTES + full] & (0xff << (8 - rest)));
        }
        return into;
    }

    /**
     * The slot of the longest prefix matching the key at {@code key[at]}, or -1; each probe's key is built in
     * {@code probe} (at least a key long), so that a program's lookup allocates nothing.
     */
    private int longestMatch(byte[] key, int at, byte[] probe) {
        int limit = (int) Math.min(prefixLength(key, at), maxPrefix);
        for (int prefix = limit; prefix >= 0; prefix--) {
            if (lengthsInUse.get(prefix) != 0) {
                int slot = store.find(normalized(key, at, prefix, probe), 0, false);
                if (slot >= 0) {
                    return slot;
                }
            }
        }
        return -1;
    }

    private long insert(byte[] key, byte[] value, long flags) {
        if (Long.compareUnsigned(flags, MapUpdateFlags.BPF_EXIST) > 0) {
            return Errno.EINVAL.negated(); // BPF_F_LOCK included: LPM values cannot hold a spin lock
        }
        long prefix = prefixLength(key, 0);
        if (prefix > maxPrefix) {
            return Errno.EINVAL.negated();
        }
        lengthsInUse.set((int) prefix, 1);
        return store.update(normalized(key, (int) prefix), 0, value, 0, 0, flags, false);
    }

    private long remove(byte[] key) {
        long prefix = prefixLength(key, 0);
        if (prefix > maxPrefix) {
            return Errno.EINVAL.negated();
        }
        return store.delete(normalized(key, (int) prefix), 0);
    }

    @Override
    long lookup(HelperContext context, long key) {
        Region k = inPlace(context, key, keySize());
        byte[] probe = context.scratch(keySize());
        int slot = k != null ? longestMatch(k.array(), at(k, key), probe)
                : longestMatch(readBytes(context, key, keySize()), 0, probe);
        return slot < 0 ? 0 : store.values.pointer(slot, 0);
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        return insert(readBytes(context, key, keySize()), readBytes(context, value, valueSize()), flags);
    }

    @Override
    long delete(HelperContext context, long key) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        return remove(readBytes(context, key, keySize()));
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        int slot = longestMatch(key, 0, new byte[key.length]);
        return slot < 0 ? Optional.empty() : Optional.of(store.values.read(slot, 0));
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        checkKey("update", key);
        checkValue("update", value);
        throwIfError("update", insert(key, value, flags));
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        checkKey("delete", key);
        long result = remove(key);
        if (result == Errno.ENOENT.negated()) {
            return false;
        }
        throwIfError("delete", result);
        return true;
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        byte[] current = null;
        if (key != null) {
            checkKey("next key", key);
            long prefix = prefixLength(key, 0);
            current = prefix <= maxPrefix ? normalized(key, (int) prefix) : null;
        }
        return Optional.ofNullable(store.nextKey(current));
    }

    @Override
    void release() {
        store.values.release();
    }
}
