package org.ebpf4j.linux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.ebpf4j.spec.MapType;

/**
 * The programs and maps loaded in the kernel, whoever loaded them: listed by id, described by the kernel, opened
 * by id or by pin. What {@code bpftool prog} and {@code bpftool map} show.
 */
public final class KernelObjects {
    private static final int CLOCK_REALTIME = 0;
    private static final int CLOCK_BOOTTIME = 7;

    private KernelObjects() {}

    /** The ids of every loaded program, ascending. */
    public static List<Integer> programIds() {
        return ids(ObjectCommands.Kind.PROGRAM);
    }

    /** The ids of every map, ascending. */
    public static List<Integer> mapIds() {
        return ids(ObjectCommands.Kind.MAP);
    }

    private static List<Integer> ids(ObjectCommands.Kind kind) {
        List<Integer> ids = new ArrayList<>();
        for (OptionalInt id = ObjectCommands.nextId(kind, 0); id.isPresent();
             id = ObjectCommands.nextId(kind, id.getAsInt())) {
            ids.add(id.getAsInt());
        }
        return ids;
    }

    /** The program with this id, as the kernel describes it (ENOENT when there is none). */
    public static KernelProgramInfo programInfo(int id) {
        try (Fd fd = ObjectCommands.open(ObjectCommands.Kind.PROGRAM, id)) {
            return ObjectInfo.program(fd, "program id " + id);
        }
    }

    public static KernelMapInfo mapInfo(int id) {
        try (Fd fd = ObjectCommands.open(ObjectCommands.Kind.MAP, id)) {
            return ObjectInfo.map(fd, "map id " + id);
        }
    }

    /** The BTF object with this id (a program's or map's {@code btf_id}), read back from the kernel. */
    public static org.ebpf4j.btf.Btf btf(int id) {
        return ObjectInfo.btf(id);
    }

    /** The id of the program pinned at {@code path} (bpftool's {@code prog show pinned PATH}). */
    public static int pinnedProgramId(Path path) {
        String describe = "the program pinned at " + path;
        try (Fd fd = pinned(path, "prog_type", "a program")) {
            return ObjectInfo.program(fd, describe).id();
        }
    }

    /** The id of the map pinned at {@code path} (bpftool's {@code map show pinned PATH}). */
    public static int pinnedMapId(Path path) {
        String describe = "the map pinned at " + path;
        try (Fd fd = pinned(path, "map_type", "a map")) {
            return ObjectInfo.map(fd, describe).id();
        }
    }

    /** The object pinned at {@code path}, which must be of the kind whose fdinfo has {@code fdinfoKey}. */
    private static Fd pinned(Path path, String fdinfoKey, String kind) {
        Fd fd = ObjectCommands.get(path);
        if (ObjectInfo.fdinfo(fd, fdinfoKey).isEmpty()) {
            fd.close();
            throw new IllegalArgumentException(path + " is not " + kind);
        }
        return fd;
    }

    /** The map with this id, to read and write; closing it closes this process's fd only. */
    public static LinuxMap openMap(int id) {
        return asMap(ObjectCommands.open(ObjectCommands.Kind.MAP, id), "map id " + id);
    }

    /** The map pinned at {@code path}. */
    public static LinuxMap openPinnedMap(Path path) {
        LinuxMap map = asMap(ObjectCommands.get(path), "the map pinned at " + path);
        map.pinnedAt(path);
        return map;
    }

    private static LinuxMap asMap(Fd fd, String describe) {
        try {
            KernelMapInfo info = ObjectInfo.map(fd, describe);
            MapType type = info.type().orElseThrow(() -> new IllegalArgumentException(describe
                    + " has map type " + info.typeNumber() + ", which this ebpf4j does not know"));
            var definition = new MapCommands.Definition(info.name(), type, info.keySize(), info.valueSize(),
                    info.maxEntries(), info.flags(), 0, 0, info.mapExtra());
            return new LinuxMap(definition, fd, RunningKernel.possibleCpus());
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Counts {@code run_time_ns} and {@code run_cnt} of every program while the returned handle is open
     * ({@code BPF_ENABLE_STATS}); the kernel stops when the last such handle is closed.
     */
    public static Fd enableStatistics() {
        return ObjectCommands.enableStats();
    }

    /** A process holding a file descriptor of an object: its pid and {@code comm}. */
    public record Holder(int pid, String command) {}

    /**
     * The processes (other than this one) that hold an fd of the program with this id, by pid: what bpftool shows
     * as {@code pids}, read from every {@code /proc/PID/fdinfo} (only what this process may read).
     */
    public static List<Holder> programHolders(int id) {
        return ProcessFds.holders("prog_id", id);
    }

    /** The processes (other than this one) that hold an fd of the map with this id. */
    public static List<Holder> mapHolders(int id) {
        return ProcessFds.holders("map_id", id);
    }

    /**
     * The wall-clock second at which a program was loaded ({@code load_time} counts from boot), computed as
     * bpftool computes it: realtime now minus boottime now plus the load time.
     */
    public static long loadedAtEpochSeconds(KernelProgramInfo info) {
        long[] real = clock(CLOCK_REALTIME);
        long[] boot = clock(CLOCK_BOOTTIME);
        return real[0] - boot[0] + Long.divideUnsigned(real[1] - boot[1] + info.loadTimeNanos(), 1_000_000_000L);
    }

    /** {@code clock_gettime}: seconds and nanoseconds. */
    private static long[] clock(int clock) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            var timespec = arena.allocate(16, 8);
            Syscalls.Result result = Libc.CLOCK_GETTIME.call(clock, timespec);
            if (result.value() != 0) {
                throw new LinuxAttachException("clock_gettime(" + clock + ")", result.errno());
            }
            return new long[] {timespec.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0),
                    timespec.get(java.lang.foreign.ValueLayout.JAVA_LONG, 8)};
        }
    }
}
