package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.MapException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapType;

/**
 * A map in the kernel, seen from Java. Each operation is one {@code bpf()} command; the kernel's errno becomes a
 * {@link MapException} (ENOENT is an empty answer where the API has one).
 *
 * <p>Checked here, because the kernel cannot see a Java array's length and would read or write past it: key and
 * value sizes ({@link IllegalArgumentException}), and the operations that only some types have
 * ({@link UnsupportedOperationException}): per-CPU maps take and give one value per possible CPU, each in a slot of
 * {@code round_up(value_size, 8)} bytes, through {@link #lookupPerCpu}/{@link #updatePerCpu} only; push, pop and
 * peek belong to queues and stacks (push also adds to a bloom filter), {@link #contains} to bloom filters.
 */
public final class LinuxMap implements BpfMap {
    private static final Set<MapType> PER_CPU = Set.of(MapType.PERCPU_HASH, MapType.PERCPU_ARRAY,
            MapType.LRU_PERCPU_HASH, MapType.PERCPU_CGROUP_STORAGE);
    private static final Set<MapType> QUEUE_OR_STACK = Set.of(MapType.QUEUE, MapType.STACK);

    private final MapCommands.Definition definition;
    private final Fd fd;
    private final int possibleCpus;
    private final Pin pin = new Pin();

    LinuxMap(MapCommands.Definition definition, Fd fd, int possibleCpus) {
        this.definition = definition;
        this.fd = fd;
        this.possibleCpus = possibleCpus;
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public MapType type() {
        return definition.type();
    }

    @Override
    public int keySize() {
        return definition.keySize();
    }

    @Override
    public int valueSize() {
        return definition.valueSize();
    }

    @Override
    public int maxEntries() {
        return definition.maxEntries();
    }

    @Override
    public int flags() {
        return definition.flags();
    }

    @Override
    public Optional<byte[]> lookup(byte[] key) {
        return lookup(key, 0);
    }

    @Override
    public Optional<byte[]> lookup(byte[] key, long flags) {
        requireNotPerCpu("lookup");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(Math.max(1, valueSize()), 8);
            int errno = MapCommands.lookup(fd(), key(arena, key), value, flags);
            return answer(errno, BpfCommand.MAP_LOOKUP_ELEM) ? Optional.of(bytes(value, valueSize()))
                    : Optional.empty();
        }
    }

    @Override
    public void update(byte[] key, byte[] value, long flags) {
        requireNotPerCpu("update");
        try (Arena arena = Arena.ofConfined()) {
            int errno = MapCommands.update(fd(), key(arena, key), value(arena, value), flags);
            check(errno, BpfCommand.MAP_UPDATE_ELEM);
        }
    }

    /** Prog arrays: the program's fd is the value, as for {@code bpf(BPF_MAP_UPDATE_ELEM)}. */
    @Override
    public void update(byte[] key, org.ebpf4j.api.Program program, long flags) {
        if (!(program instanceof LinuxProgram p)) {
            throw new IllegalArgumentException(describe() + ": " + program + " was not loaded by the Linux backend");
        }
        update(key, fdValue(p.fd()), flags);
    }

    /** Maps of maps: the inner map's fd is the value. */
    @Override
    public void update(byte[] key, BpfMap inner, long flags) {
        if (!(inner instanceof LinuxMap m)) {
            throw new IllegalArgumentException(describe() + ": " + inner + " was not created by the Linux backend");
        }
        update(key, fdValue(m.fd()), flags);
    }

    private static byte[] fdValue(Fd fd) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(fd.value()).array();
    }

    @Override
    public boolean delete(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            return answer(MapCommands.delete(fd(), key(arena, key)), BpfCommand.MAP_DELETE_ELEM);
        }
    }

    @Override
    public Optional<byte[]> nextKey(byte[] key) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment current = key == null ? MemorySegment.NULL : key(arena, key);
            MemorySegment next = arena.allocate(Math.max(1, keySize()), 8);
            int errno = MapCommands.nextKey(fd(), current, next);
            return answer(errno, BpfCommand.MAP_GET_NEXT_KEY) ? Optional.of(bytes(next, keySize()))
                    : Optional.empty();
        }
    }

    @Override
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        requirePerCpu("lookupPerCpu");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate((long) possibleCpus * perCpuSlot(), 8);
            if (!answer(MapCommands.lookup(fd(), key(arena, key), values, 0), BpfCommand.MAP_LOOKUP_ELEM)) {
                return Optional.empty();
            }
            List<byte[]> perCpu = new ArrayList<>(possibleCpus);
            for (int cpu = 0; cpu < possibleCpus; cpu++) {
                perCpu.add(bytes(values.asSlice((long) cpu * perCpuSlot()), valueSize()));
            }
            return Optional.of(perCpu);
        }
    }

    @Override
    public void updatePerCpu(byte[] key, List<byte[]> values, long flags) {
        requirePerCpu("updatePerCpu");
        if (values.size() != possibleCpus) {
            throw new IllegalArgumentException(describe() + ": one value per possible CPU (" + possibleCpus
                    + "), not " + values.size());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = arena.allocate((long) possibleCpus * perCpuSlot(), 8);
            for (int cpu = 0; cpu < possibleCpus; cpu++) {
                byte[] v = checkSize(values.get(cpu), valueSize(), "value of CPU " + cpu);
                MemorySegment.copy(v, 0, all, ValueLayout.JAVA_BYTE, (long) cpu * perCpuSlot(), v.length);
            }
            check(MapCommands.update(fd(), key(arena, key), all, flags), BpfCommand.MAP_UPDATE_ELEM);
        }
    }

    /** A key and its value; for per-CPU maps the value holds every possible CPU's slot, as the kernel lays them. */
    public record Entry(byte[] key, byte[] value) {}

    /**
     * Every element, read {@code batchSize} at a time with {@code BPF_MAP_LOOKUP_BATCH} (more at a time where a
     * hash bucket holds more, which the kernel refuses with ENOSPC; hash and array maps,
     * per-CPU and LRU included; other types are EINVAL to the kernel and a {@link MapException} here). Per-CPU
     * values come as {@code possible CPUs x round_up(value_size, 8)} bytes.
     */
    public List<Entry> lookupBatch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("a batch holds at least one element, not " + batchSize);
        }
        int valueBytes = PER_CPU.contains(type()) ? possibleCpus * perCpuSlot() : valueSize();
        List<Entry> entries = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            // The position token is a bucket index for hash maps and a key for arrays: room for either.
            long tokenSize = Math.max(8, keySize());
            MemorySegment in = arena.allocate(tokenSize, 8);
            MemorySegment out = arena.allocate(tokenSize, 8);
            int size = batchSize;
            MemorySegment keys = arena.allocate((long) keySize() * size, 8);
            MemorySegment values = arena.allocate((long) valueBytes * size, 8);
            MemorySegment position = MemorySegment.NULL;
            while (true) {
                MapCommands.Batch batch = MapCommands.lookupBatch(fd(), position, out, keys, values, size);
                if (batch.errno() == Errno.ENOSPC.value() && batch.count() == 0) {
                    // A hash bucket holds more elements than the batch: the kernel returns none of them. Retry the
                    // same bucket with room for twice as many, as the caller wants every entry, not a chunk size.
                    size = Math.multiplyExact(size, 2);
                    keys = arena.allocate((long) keySize() * size, 8);
                    values = arena.allocate((long) valueBytes * size, 8);
                    continue;
                }
                if (batch.errno() != 0 && batch.errno() != Errno.ENOENT.value()) {
                    check(batch.errno(), BpfCommand.MAP_LOOKUP_BATCH);
                }
                for (int i = 0; i < batch.count(); i++) {
                    entries.add(new Entry(bytes(keys.asSlice((long) i * keySize()), keySize()),
                            bytes(values.asSlice((long) i * valueBytes), valueBytes)));
                }
                if (batch.errno() == Errno.ENOENT.value()) {
                    return entries;
                }
                MemorySegment.copy(out, 0, in, 0, tokenSize);
                position = in;
            }
        }
    }

    /** Queues and stacks: {@code BPF_MAP_UPDATE_ELEM} without a key; bloom filters: adds the value. */
    @Override
    public void push(byte[] value, long flags) {
        if (!QUEUE_OR_STACK.contains(type()) && type() != MapType.BLOOM_FILTER) {
            throw unsupported("push", "queues, stacks and bloom filters");
        }
        try (Arena arena = Arena.ofConfined()) {
            check(MapCommands.update(fd(), MemorySegment.NULL, value(arena, value), flags),
                    BpfCommand.MAP_UPDATE_ELEM);
        }
    }

    /** {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM} without a key. */
    @Override
    public Optional<byte[]> pop() {
        requireQueueOrStack("pop");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(valueSize(), 8);
            int errno = MapCommands.lookupAndDelete(fd(), MemorySegment.NULL, value);
            return answer(errno, BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM) ? Optional.of(bytes(value, valueSize()))
                    : Optional.empty();
        }
    }

    /** {@code BPF_MAP_LOOKUP_ELEM} without a key. */
    @Override
    public Optional<byte[]> peek() {
        requireQueueOrStack("peek");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(valueSize(), 8);
            int errno = MapCommands.lookup(fd(), MemorySegment.NULL, value, 0);
            return answer(errno, BpfCommand.MAP_LOOKUP_ELEM) ? Optional.of(bytes(value, valueSize()))
                    : Optional.empty();
        }
    }

    /** Bloom filters: {@code BPF_MAP_LOOKUP_ELEM} without a key and with the value as input. */
    @Override
    public boolean contains(byte[] value) {
        if (type() != MapType.BLOOM_FILTER) {
            throw unsupported("contains", "bloom filters");
        }
        try (Arena arena = Arena.ofConfined()) {
            return answer(MapCommands.lookup(fd(), MemorySegment.NULL, value(arena, value), 0),
                    BpfCommand.MAP_LOOKUP_ELEM);
        }
    }

    @Override
    public void freeze() {
        check(MapCommands.freeze(fd()), BpfCommand.MAP_FREEZE);
    }

    /** The kernel object's fd, for the loader (prog arrays, map-in-map slots, program relocation). */
    /** Pins the map at {@code path} (in bpffs, mounted at /sys/fs/bpf when absent). */
    @Override
    public void pin(Path path) {
        pin.pin(fd(), path, describe());
    }

    @Override
    public void unpin() {
        pin.unpin(describe());
    }

    /** Where the map is pinned: by {@link #pin}, or at load by name ({@code LIBBPF_PIN_BY_NAME}). */
    public Optional<Path> pinnedAt() {
        return pin.path();
    }

    void pinnedAt(Path path) {
        pin.pinnedAt(path);
    }

    /** What the kernel says about the map (id, BTF, memlock, ...). */
    public KernelMapInfo info() {
        return ObjectInfo.map(fd(), describe());
    }

    Fd fd() {
        if (fd.isClosed()) {
            throw new IllegalStateException(describe() + " is closed");
        }
        return fd;
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return describe() + " " + fd;
    }

    private String describe() {
        return definition.describe();
    }

    private int perCpuSlot() {
        return (valueSize() + 7) & ~7;
    }

    private MemorySegment key(Arena arena, byte[] key) {
        if (keySize() == 0 && (key == null || key.length == 0)) {
            return MemorySegment.NULL;
        }
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, checkSize(key, keySize(), "key"));
    }

    private MemorySegment value(Arena arena, byte[] value) {
        return arena.allocateFrom(ValueLayout.JAVA_BYTE, checkSize(value, valueSize(), "value"));
    }

    private byte[] checkSize(byte[] bytes, int expected, String what) {
        if (bytes == null || bytes.length != expected) {
            throw new IllegalArgumentException(describe() + " takes a " + expected + "-byte " + what + ", not "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        return bytes;
    }

    private static byte[] bytes(MemorySegment segment, int size) {
        return segment.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
    }

    /** True on success, false on ENOENT (an answer, not a failure), a {@link MapException} otherwise. */
    private boolean answer(int errno, BpfCommand command) {
        if (errno == Errno.ENOENT.value()) {
            return false;
        }
        check(errno, command);
        return true;
    }

    private void check(int errno, BpfCommand command) {
        if (errno != 0) {
            throw Errno.of(errno).<RuntimeException>map(e -> new MapException(name(), command.kernelName(), e))
                    .orElseGet(() -> new LinuxBpfException(command, describe(), errno));
        }
    }

    private void requirePerCpu(String operation) {
        if (!PER_CPU.contains(type())) {
            throw unsupported(operation, "per-CPU maps");
        }
    }

    private void requireNotPerCpu(String operation) {
        if (PER_CPU.contains(type())) {
            throw new UnsupportedOperationException(describe() + " holds one value per CPU: use " + operation
                    + "PerCpu, not " + operation);
        }
    }

    private void requireQueueOrStack(String operation) {
        if (!QUEUE_OR_STACK.contains(type())) {
            throw unsupported(operation, "queues and stacks");
        }
    }

    private UnsupportedOperationException unsupported(String operation, String which) {
        return new UnsupportedOperationException(operation + " is for " + which + ", not " + describe());
    }
}
