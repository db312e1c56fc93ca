package org.ebpf4j.runtime.maps;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.Callback;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: {@code max_entries} zero-initialised values indexed by a
 * 4-byte key; every element always exists, so deletes fail with EINVAL and BPF_NOEXIST with EEXIST.
 *
 * <p>Concurrency: there is no index to protect. Values are updated in place, as the kernel does: a reader racing an
 * update may see a mix of old and new bytes (the kernel's answer is BPF_F_LOCK, for values holding a
 * {@code bpf_spin_lock}); atomic instructions on values are the hardware's.
 */
final class ArrayMap extends JvmMap {
    private final ValueStorage values;

    ArrayMap(MapSpec spec, int cpus, int lockOffset) {
        super(spec, cpus);
        this.values = new ValueStorage(spec.name(), spec.valueSize(), this.cpus, spec.maxEntries(),
                !readOnlyForPrograms(), lockOffset);
    }

    @Override
    public boolean hasSpinLock() {
        return values.lockOffset != SpinLockField.NONE;
    }

    @Override
    long lookup(HelperContext context, long key) {
        long index = context.memory().load(key, 4);
        return index < maxEntries() ? values.pointer((int) index, cpuOf(context)) : 0;
    }

    @Override
    long update(HelperContext context, long key, long value, long flags) {
        if (readOnlyForPrograms()) {
            return Errno.EPERM.negated();
        }
        long index = context.memory().load(key, 4);
        int cpu = cpuOf(context);
        Region v = inPlace(context, value, valueSize());
        return v != null ? store(index, v.array(), at(v, value), cpu, flags)
                : store(index, readBytes(context, value, valueSize()), 0, cpu, flags);
    }

    /** The kernel's order of checks: flags, index, BPF_NOEXIST, BPF_F_LOCK. */
    /** Writes the value(s) at {@code offset} of {@code value} for {@code cpu} ({@link ValueStorage#write}). */
    private long store(long index, byte[] value, int offset, int cpu, long flags) {
        if (badUpdateFlags(flags)) {
            return Errno.EINVAL.negated();
        }
        if (index >= maxEntries()) {
            return Errno.E2BIG.negated();
        }
        if (mode(flags) == MapUpdateFlags.BPF_NOEXIST) {
            return Errno.EEXIST.negated();
        }
        if (wantsLock(flags)) {
            if (!hasSpinLock()) {
                return Errno.EINVAL.negated();
            }
            values.writeLocked((int) index, value, offset);
            return 0;
        }
        values.write((int) index, value, offset, cpu, false);
        return 0;
    }

    @Override
    long delete(HelperContext context, long key) {
        return Errno.EINVAL.negated();
    }

    @Override
    long forEachElement(HelperContext context, Callback callback, long callbackContext) {
        int cpu = cpuOf(context);
        try (CallbackKey key = new CallbackKey(context, 4)) {
            for (int i = 0; i < maxEntries(); i++) {
                if (callback.call(handle(), key.set(FdSlots.u32(i)), values.pointer(i, cpu), callbackContext, 0)
                        != 0) {
                    return i + 1;
                }
            }
        }
        return maxEntries();
    }

    @Override
    public long directValueAddress(int offset) {
        if (maxEntries() != 1 || perCpu || offset < 0 || offset >= valueSize()) {
            return super.directValueAddress(offset);
        }
        return values.pointer(0, 0) + offset;
    }

    private static long index(byte[] key) {
        return LittleEndian.get(key, 0, 4);
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        checkRead("lookup");
        checkKey("lookup", key);
        requirePerCpu(false);
        long index = index(key);
        return index < maxEntries() ? Optional.of(values.read((int) index, 0)) : Optional.empty();
    }

    @Override
    Optional<byte[]> lookupLocked(byte[] key) {
        long index = index(key);
        return index < maxEntries() ? Optional.of(values.readLocked((int) index)) : Optional.empty();
    }

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        requirePerCpu(true);
        checkRead("lookup");
        checkKey("lookup", key);
        long index = index(key);
        return index < maxEntries() ? Optional.of(values.readAll((int) index)) : Optional.empty();
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        checkWrite("update");
        checkLockFlag("update", flags);
        checkKey("update", key);
        checkValue("update", value);
        requirePerCpu(false);
        throwIfError("update", store(index(key), value, 0, 0, flags));
    }

    @Override
    public void updatePerCpu(byte[] key, List<byte[]> perCpuValues, long flags) {
        requirePerCpu(true);
        checkWrite("update");
        checkLockFlag("update", flags);
        checkKey("update", key);
        checkPerCpuValues("update", perCpuValues);
        throwIfError("update", store(index(key), ValueStorage.concat(perCpuValues), 0, ValueStorage.ALL_CPUS,
                flags));
    }

    @Override
    public boolean delete(byte[] key) {
        checkWrite("delete");
        throw new MapException(name(), "delete", Errno.EINVAL);
    }

    /** Index order: the next index, the first for a missing or out-of-range key, none after the last. */
    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        checkRead("next key");
        long next = 0;
        if (key != null) {
            checkKey("next key", key);
            long index = index(key);
            next = index < maxEntries() ? index + 1 : 0;
        }
        if (next >= maxEntries()) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        LittleEndian.set(bytes, 0, 4, next);
        return Optional.of(bytes);
    }

    @Override
    void release() {
        values.release();
    }
}
