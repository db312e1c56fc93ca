package org.ebpf4j.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.StructLayout;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The commands that work on any kernel object: pinning in bpffs ({@code BPF_OBJ_PIN}, {@code BPF_OBJ_GET}), walking
 * the kernel's ids ({@code BPF_*_GET_NEXT_ID}, {@code BPF_*_GET_FD_BY_ID}), reading an object's info
 * ({@code BPF_OBJ_GET_INFO_BY_FD}) and run-time statistics ({@code BPF_ENABLE_STATS}).
 */
final class ObjectCommands {
    /** {@code BPF_STATS_RUN_TIME}, the one statistics type. */
    static final int STATS_RUN_TIME = 0;

    private ObjectCommands() {}

    /** The kinds of objects with ids: the commands that walk and open them. */
    enum Kind {
        PROGRAM(BpfCommand.PROG_GET_NEXT_ID, BpfCommand.PROG_GET_FD_BY_ID),
        MAP(BpfCommand.MAP_GET_NEXT_ID, BpfCommand.MAP_GET_FD_BY_ID),
        BTF(BpfCommand.BTF_GET_NEXT_ID, BpfCommand.BTF_GET_FD_BY_ID),
        LINK(BpfCommand.LINK_GET_NEXT_ID, BpfCommand.LINK_GET_FD_BY_ID);

        final BpfCommand nextId;
        final BpfCommand fdById;

        Kind(BpfCommand nextId, BpfCommand fdById) {
            this.nextId = nextId;
            this.fdById = fdById;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static void pin(Fd object, Path path, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.OBJ)
                    .pointer("pathname", arena.allocateFrom(path.toString()))
                    .u32("bpf_fd", object.value());
            Syscalls.Result result = Syscalls.bpf(BpfCommand.OBJ_PIN, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.OBJ_PIN, describe + " at " + path, result.errno());
            }
        }
    }

    /** The object pinned at {@code path}; the errno (ENOENT when nothing is) as a {@link LinuxBpfException}. */
    static Fd get(Path path) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.OBJ).pointer("pathname", arena.allocateFrom(path.toString()));
            Syscalls.Result result = Syscalls.bpf(BpfCommand.OBJ_GET, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.OBJ_GET, "the object pinned at " + path, result.errno());
            }
            return new Fd((int) result.value());
        }
    }

    /** The id after {@code id} (0: the first), or empty after the last (ENOENT). */
    static OptionalInt nextId(Kind kind, int id) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.GET_ID).u32("start_id", id);
            Syscalls.Result result = Syscalls.bpf(kind.nextId, attr.segment());
            if (result.failed()) {
                if (result.errno() == org.ebpf4j.spec.Errno.ENOENT.value()) {
                    return OptionalInt.empty();
                }
                throw new LinuxBpfException(kind.nextId, "the " + kind.label() + " after id " + id, result.errno());
            }
            return OptionalInt.of(attr.u32("next_id"));
        }
    }

    /** An fd of the object with this id (ENOENT: gone since it was listed). */
    static Fd open(Kind kind, int id) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.GET_ID).u32("start_id", id);
            Syscalls.Result result = Syscalls.bpf(kind.fdById, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(kind.fdById, kind.label() + " id " + id, result.errno());
            }
            return new Fd((int) result.value());
        }
    }

    /**
     * Fills {@code info} (zeroed, shaped by {@code layout}) with what the kernel says about the object; pointer
     * fields set beforehand ({@code map_ids}, ...) receive arrays. The kernel writes at most the layout's size.
     */
    static void info(Fd object, StructLayout layout, Attr info, String describe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.INFO)
                    .u32("bpf_fd", object.value())
                    .u32("info_len", (int) layout.byteSize())
                    .pointer("info", info.segment());
            Syscalls.Result result = Syscalls.bpf(BpfCommand.OBJ_GET_INFO_BY_FD, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.OBJ_GET_INFO_BY_FD, describe, result.errno());
            }
        }
    }

    /**
     * Turns on run-time statistics ({@code run_time_ns}, {@code run_cnt} of every program) until the returned fd
     * is closed; the kernel counts while any such fd is open.
     */
    static Fd enableStats() {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, BpfAttrLayouts.ENABLE_STATS).u32("type", STATS_RUN_TIME);
            Syscalls.Result result = Syscalls.bpf(BpfCommand.ENABLE_STATS, attr.segment());
            if (result.failed()) {
                throw new LinuxBpfException(BpfCommand.ENABLE_STATS, "BPF_STATS_RUN_TIME", result.errno());
            }
            return new Fd((int) result.value());
        }
    }
}
