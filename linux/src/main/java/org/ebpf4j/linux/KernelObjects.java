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
}
