package org.ebpf4j.runtime.maps;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.MapException;
import org.ebpf4j.runtime.helpers.Callback;
import org.ebpf4j.runtime.helpers.HelperContext;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;

/**
 * A map of the JVM runtime. Java sees it as a {@link BpfMap} (failures are {@link MapException}s with Linux's
 * errno); programs reach it through the map helpers ({@link MapHelpers}), which take its {@link #handle()} and
 * return {@code -errno} as the kernel's helpers do. Values that programs get pointers to live in shared segment
 * regions ({@link org.ebpf4j.runtime.memory.SharedRegions}), so the pointers are valid in every invocation.
 *
 * <p>Every implementation is safe for concurrent programs and Java callers; each class says how.
 */
public abstract sealed class JvmMap implements BpfMap
        permits ArrayMap, HashTableMap, LpmTrieMap, QueueStackMap, BloomFilterMap,
                RingBufferMap, PerfEventArrayMap, StackTraceMap, ProgArrayMap, MapOfMaps {
    final MapSpec spec;
    /** Whether each element holds one value per CPU. */
    final boolean perCpu;
    /** Values per element: the CPU count of per-CPU maps, 1 otherwise. */
    final int cpus;
    /**
     * 0 until {@link JvmMaps#create} registers the constructed map ({@link #register}). Volatile, as it is no longer
     * final: a thread that gets the map through a race still sees its id.
     */
    private volatile int id;
    private volatile boolean frozen;
    private volatile boolean closed;

    JvmMap(MapSpec spec, int cpus) {
        if (cpus <= 0) {
            throw new IllegalArgumentException("cpus must be positive: " + cpus);
        }
        this.spec = spec;
        this.perCpu = switch (spec.type()) {
            case PERCPU_ARRAY, PERCPU_HASH, LRU_PERCPU_HASH -> true;
            default -> false;
        };
        this.cpus = perCpu ? cpus : 1;
    }

    /**
     * Gives the map its id once its constructor has finished: registered from the constructor, a map whose
     * subclass then refused its attributes (E2BIG, say) stayed in the registry, half built, under an id that a
     * forged handle could reach.
     */
    final void register() {
        if (id != 0) {
            throw new IllegalStateException("map '" + spec.name() + "' is registered already");
        }
        id = MapRegistry.register(this);
    }

    /** The value a program's {@code lddw rX, map} holds at run time; map helpers take it as their first argument. */
    public final long handle() {
        return Pointer.of(Pointer.MAP_HANDLE_REGION, id);
    }

    /** The map's number in this JVM (never 0, as the kernel's map ids): what maps of maps show user space. */
    final int id() {
        return id;
    }

    /** The map behind a handle, for helpers; a {@link MemoryAccessException} when it is none. */
    public static JvmMap ofHandle(long handle) {
        return MapRegistry.resolve(handle);
    }

    public final MapSpec spec() {
        return spec;
    }

    /** Per-CPU slots of per-CPU maps (1 value per element otherwise). */
    public final int cpus() {
        return cpus;
    }

    @Override
    public final String name() {
        return spec.name();
    }

    @Override
    public final MapType type() {
        return spec.type();
    }

    @Override
    public final int keySize() {
        return spec.keySize();
    }

    @Override
    public final int valueSize() {
        return spec.valueSize();
    }

    @Override
    public final int maxEntries() {
        return spec.maxEntries();
    }

    @Override
    public final int flags() {
        return spec.flags();
    }

    /** BPF_F_RDONLY_PROG: programs may only read; the verifier enforces it, and the value region is read-only. */
    public final boolean readOnlyForPrograms() {
        return (spec.flags() & MapFlags.BPF_F_RDONLY_PROG) != 0;
    }

    /** BPF_F_WRONLY_PROG: programs may only write; the verifier enforces it. */
    public final boolean writeOnlyForPrograms() {
        return (spec.flags() & MapFlags.BPF_F_WRONLY_PROG) != 0;
    }

    public final boolean frozen() {
        return frozen;
    }

    // ---- the program side: what helpers call. Results are 0 or -errno, pointers or 0, as in the kernel. ----

    /** {@code bpf_map_lookup_elem}: a pointer to the value (this CPU's for per-CPU maps), or 0. */
    abstract long lookup(HelperContext context, long key);

    /** {@code bpf_map_update_elem}. */
    abstract long update(HelperContext context, long key, long value, long flags);

    /** {@code bpf_map_delete_elem}. */
    abstract long delete(HelperContext context, long key);

    /** {@code bpf_map_push_elem}: queues, stacks and bloom filters. */
    long push(HelperContext context, long value, long flags) {
        return Errno.EINVAL.negated();
    }

    /** {@code bpf_map_pop_elem}: queues and stacks. */
    long pop(HelperContext context, long value) {
        return Errno.EINVAL.negated();
    }

    /** {@code bpf_map_peek_elem}: queues, stacks and bloom filters. */
    long peek(HelperContext context, long value) {
        return Errno.EINVAL.negated();
    }

    /**
     * {@code bpf_for_each_map_elem}'s walk: {@code callback(map, &key, &value, callbackContext)} for each element
     * until it returns non-zero; returns the elements visited, the last included. Maps the kernel cannot walk fault
     * (its verifier refuses them).
     */
    long forEachElement(HelperContext context, Callback callback, long callbackContext) {
        throw new MemoryAccessException("bpf_for_each_map_elem cannot walk " + this);
    }

    /**
     * The address {@code offset} bytes into the map's value, for {@code lddw} with BPF_PSEUDO_MAP_VALUE; only
     * single-element arrays (global data) have one, as in Linux.
     */
    public long directValueAddress(int offset) {
        throw new IllegalArgumentException("map '" + name() + "' (" + type().kernelName()
                + ") has no direct value address: only single-element arrays do");
    }

    // ---- the Java side ----

    /** BPF_MAP_FREEZE: user space may no longer write; programs still may (unless BPF_F_RDONLY_PROG). */
    @Override
    public final synchronized void freeze() {
        checkOpen("freeze");
        if (hasSpinLock()) {
            // The kernel's map_freeze refuses maps whose values hold special fields, before the permission check.
            throw new MapException(name(), "freeze", Errno.ENOTSUPP);
        }
        if (frozen) {
            // The kernel's answer: freezing first takes away user space's write permission, so a second freeze
            // fails that permission check.
            throw new MapException(name(), "freeze", Errno.EPERM);
        }
        frozen = true;
    }

    // Operations a map type lacks in this API are UnsupportedOperationExceptions on every backend (the contract).

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        throw new UnsupportedOperationException(this + " is not per-CPU: use lookup");
    }

    @Override
    public void updatePerCpu(byte[] key, List<byte[]> values, long flags) {
        throw new UnsupportedOperationException(this + " is not per-CPU: use update");
    }

    @Override
    public void push(byte[] value, long flags) {
        throw new UnsupportedOperationException(this + " has no push: only queues, stacks and bloom filters do");
    }

    @Override
    public Optional<byte[]> pop() {
        throw new UnsupportedOperationException(this + " has no pop: only queues and stacks do");
    }

    @Override
    public Optional<byte[]> peek() {
        throw new UnsupportedOperationException(this + " has no peek: only queues and stacks do");
    }

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (id != 0) {
            MapRegistry.release(id);
        }
        release();
    }

    /** Releases the map's regions: pointers into them fault from now on. */
    abstract void release();

    @Override
    public String toString() {
        return "map '" + name() + "' (" + type().kernelName() + ")";
    }

    // ---- checks shared by the implementations ----

    final void checkOpen(String operation) {
        if (closed) {
            throw new MapException(name(), operation, Errno.EBADF);
        }
    }

    /** User-space reads: refused on a closed map and with BPF_F_WRONLY. */
    final void checkRead(String operation) {
        checkOpen(operation);
        if ((spec.flags() & MapFlags.BPF_F_WRONLY) != 0) {
            throw new MapException(name(), operation, Errno.EPERM);
        }
    }

    /** User-space writes: refused on a closed or frozen map and with BPF_F_RDONLY (EPERM, as the kernel). */
    final void checkWrite(String operation) {
        checkOpen(operation);
        if (frozen || (spec.flags() & MapFlags.BPF_F_RDONLY) != 0) {
            throw new MapException(name(), operation, Errno.EPERM);
        }
    }

    /**
     * Per-CPU maps take and give one value per CPU, the others single values; using the other kind of operation
     * is an UnsupportedOperationException on every backend (the contract).
     */
    final void requirePerCpu(boolean perCpuOperation) {
        if (perCpuOperation != perCpu) {
            throw new UnsupportedOperationException(this + (perCpu ? " is per-CPU: use lookupPerCpu/updatePerCpu"
                    : " is not per-CPU: use lookup/update"));
        }
    }

    // Wrong sizes are the caller's bug, refused before any map state is touched: IllegalArgumentException on every
    // backend (the kernel cannot see a Java array's length, so the contract does not ask for its errno).

    final void checkKey(String operation, byte[] key) {
        int length = key == null ? 0 : key.length;
        if (length != keySize()) {
            throw new IllegalArgumentException(operation + " on " + this + ": key of " + length
                    + " bytes, map keys have " + keySize());
        }
    }

    final void checkValue(String operation, byte[] value) {
        if (value == null || value.length != valueSize()) {
            throw new IllegalArgumentException(operation + " on " + this + ": value of "
                    + (value == null ? 0 : value.length) + " bytes, map values have " + valueSize());
        }
    }

    final void checkPerCpuValues(String operation, List<byte[]> values) {
        if (values.size() != cpus) {
            throw new IllegalArgumentException(operation + " on " + this + ": " + values.size() + " values for "
                    + cpus + " CPUs");
        }
        values.forEach(v -> checkValue(operation, v));
    }

    /** Throws the Java face of a helper-style result ({@code -errno}). */
    final void throwIfError(String operation, long result) {
        if (result < 0) {
            throw new MapException(name(), operation, Errno.require((int) -result));
        }
    }

    /** Update flags other than BPF_ANY, BPF_NOEXIST or BPF_EXIST (BPF_F_LOCK aside): the kernel's EINVAL. */
    static boolean badUpdateFlags(long flags) {
        return Long.compareUnsigned(flags & ~(long) MapUpdateFlags.BPF_F_LOCK, MapUpdateFlags.BPF_EXIST) > 0;
    }

    static boolean wantsLock(long flags) {
        return (flags & MapUpdateFlags.BPF_F_LOCK) != 0;
    }

    /** Whether values hold a {@code struct bpf_spin_lock} (from the map's BTF), which BPF_F_LOCK needs. */
    public boolean hasSpinLock() {
        return false;
    }

    /**
     * BPF_MAP_LOOKUP_ELEM with flags, in the kernel's order of checks: flags other than BPF_F_LOCK (EINVAL), read
     * permission (EPERM), BPF_F_LOCK without a lock in the value (EINVAL). With BPF_F_LOCK the value is copied under
     * its lock; a value's lock always reads as zero.
     */
    @Override
    public final Optional<byte[]> lookup(byte[] key, long flags) {
        if ((flags & ~(long) MapUpdateFlags.BPF_F_LOCK) != 0) {
            throw new MapException(name(), "lookup", Errno.EINVAL);
        }
        checkRead("lookup");
        if (!wantsLock(flags)) {
            return lookup(key);
        }
        if (!hasSpinLock()) {
            throw new MapException(name(), "lookup", Errno.EINVAL);
        }
        checkKey("lookup", key);
        return lookupLocked(key);
    }

    /** A BPF_F_LOCK lookup of a map with a lock (key checked). */
    Optional<byte[]> lookupLocked(byte[] key) {
        throw new IllegalStateException(this + " has no lock");
    }

    /** The system call's check before any map's own: BPF_F_LOCK needs a lock in the value (EINVAL). */
    final void checkLockFlag(String operation, long flags) {
        if (wantsLock(flags) && !hasSpinLock()) {
            throw new MapException(name(), operation, Errno.EINVAL);
        }
    }

    /** The BPF_ANY/BPF_NOEXIST/BPF_EXIST part of update flags. */
    static long mode(long flags) {
        return flags & ~(long) MapUpdateFlags.BPF_F_LOCK;
    }

    /** The running program's value slot: its CPU in per-CPU maps (checked against their slots), else 0. */
    final int cpuOf(HelperContext context) {
        if (!perCpu) {
            return 0;
        }
        int cpu = context.cpu();
        if (cpu >= cpus) {
            throw new MemoryAccessException("the invocation runs on cpu " + cpu + ", but " + this + " has "
                    + cpus + " CPU slots");
        }
        return cpu;
    }

    /**
     * The array region (the stack, nearly always) that holds all {@code length} bytes at {@code address}, for
     * helpers that use their arguments where they lie ({@link #at}); null when the bytes lie elsewhere or not wholly
     * inside a region: then the helper copies them with {@link #readBytes}, which also reports a fault.
     */
    static Region inPlace(HelperContext context, long address, int length) {
        Region region = context.memory().region(address);
        if (region == null || region.array() == null) {
            return null;
        }
        int offset = Pointer.offset(address);
        return offset >= 0 && offset <= region.length() - length ? region : null;
    }

    /** Where the bytes at {@code address} start in the array of their {@link #inPlace} region. */
    static int at(Region inPlace, long address) {
        return inPlace.base() + Pointer.offset(address);
    }

    static byte[] readBytes(HelperContext context, long address, int length) {
        byte[] bytes = new byte[length];
        context.memory().read(address, bytes, 0, length);
        return bytes;
    }
}
