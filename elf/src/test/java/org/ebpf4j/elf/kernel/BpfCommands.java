package org.ebpf4j.elf.kernel;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The few {@code bpf()} commands the kernel load tests use, each filling its part of {@code union bpf_attr} at the
 * offsets of {@code include/uapi/linux/bpf.h} (checked against the installed header with {@code offsetof}). Fields
 * not written stay zero, which the kernel reads as "not used".
 */
final class BpfCommands {
    static final int BPF_MAP_CREATE = 0;
    static final int BPF_MAP_UPDATE_ELEM = 2;
    static final int BPF_PROG_LOAD = 5;
    static final int BPF_MAP_FREEZE = 22;

    /** {@code sizeof(union bpf_attr)} up to {@code log_true_size}; the kernel wants zeros past what it knows. */
    private static final long ATTR_SIZE = 144;
    /** {@code BPF_OBJ_NAME_LEN}: names are truncated to 15 bytes and a NUL. */
    private static final int OBJ_NAME_LEN = 16;
    /** Verifier logs of the fixtures fit easily; the kernel truncates (ENOSPC) beyond this. */
    private static final int LOG_SIZE = 1 << 20;

    private BpfCommands() {}

    /** The attributes of {@code BPF_MAP_CREATE} that the tests set. */
    record MapAttributes(String name, int type, int keySize, int valueSize, int maxEntries, int flags,
                         int innerMapFd, int numaNode, long mapExtra) {}

    static Fd createMap(MapAttributes map) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, map.type());
            attr.set(JAVA_INT, 4, map.keySize());
            attr.set(JAVA_INT, 8, map.valueSize());
            attr.set(JAVA_INT, 12, map.maxEntries());
            attr.set(JAVA_INT, 16, map.flags());
            attr.set(JAVA_INT, 20, map.innerMapFd());
            attr.set(JAVA_INT, 24, map.numaNode());
            putName(attr, 28, map.name());
            attr.set(JAVA_LONG, 64, map.mapExtra());
            return new Fd((int) check(Syscalls.bpf(BPF_MAP_CREATE, attr), "BPF_MAP_CREATE", "map " + map));
        }
    }

    static void updateElement(Fd map, String what, byte[] key, byte[] value, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, map.value());
            attr.set(ADDRESS, 8, copy(arena, key));
            attr.set(ADDRESS, 16, copy(arena, value));
            attr.set(JAVA_LONG, 24, flags);
            check(Syscalls.bpf(BPF_MAP_UPDATE_ELEM, attr), "BPF_MAP_UPDATE_ELEM", what);
        }
    }

    static void freeze(Fd map, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, map.value());
            check(Syscalls.bpf(BPF_MAP_FREEZE, attr), "BPF_MAP_FREEZE", what);
        }
    }

    /** The attributes of {@code BPF_PROG_LOAD} that the tests set. */
    record ProgramAttributes(String name, int type, byte[] instructions, String license, int kernelVersion,
                             int flags, int expectedAttachType, int attachBtfId) {}

    /** The kernel's answer to a program load: a program fd, or the errno and the verifier log. */
    sealed interface LoadOutcome {
        record Loaded(Fd program) implements LoadOutcome {}

        record Rejected(int errno, String log) implements LoadOutcome {}
    }

    /**
     * Loads without a log first, and on failure again with {@code log_level} 1 for the verifier's reasons, as
     * libbpf does: a log buffer costs the verifier time and only matters when something went wrong.
     */
    static LoadOutcome loadProgram(ProgramAttributes program) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result quiet = Syscalls.bpf(BPF_PROG_LOAD, programAttr(arena, program, MemorySegment.NULL));
            if (!quiet.failed()) {
                return new LoadOutcome.Loaded(new Fd((int) quiet.value()));
            }
            MemorySegment log = arena.allocate(LOG_SIZE);
            Syscalls.Result logged = Syscalls.bpf(BPF_PROG_LOAD, programAttr(arena, program, log));
            if (!logged.failed()) {
                // Loaded only when logging: unexpected, but the program is the kernel's now and must be closed.
                new Fd((int) logged.value()).close();
            }
            return new LoadOutcome.Rejected(quiet.errno(), log.getString(0, StandardCharsets.UTF_8));
        }
    }

    private static MemorySegment programAttr(Arena arena, ProgramAttributes program, MemorySegment log) {
        MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
        MemorySegment insns = copy(arena, program.instructions());
        attr.set(JAVA_INT, 0, program.type());
        attr.set(JAVA_INT, 4, program.instructions().length / 8);
        attr.set(ADDRESS, 8, insns);
        attr.set(ADDRESS, 16, arena.allocateFrom(program.license()));
        if (log.byteSize() > 0) {
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, (int) log.byteSize());
            attr.set(ADDRESS, 32, log);
        }
        attr.set(JAVA_INT, 40, program.kernelVersion());
        attr.set(JAVA_INT, 44, program.flags());
        putName(attr, 48, program.name());
        attr.set(JAVA_INT, 68, program.expectedAttachType());
        attr.set(JAVA_INT, 108, program.attachBtfId());
        return attr;
    }

    /** Object names may hold only letters, digits, '_' and '.'; longer ones are cut, as libbpf cuts them. */
    private static void putName(MemorySegment attr, long offset, String name) {
        String kept = name.replaceAll("[^A-Za-z0-9_.]", "_");
        byte[] bytes = kept.getBytes(StandardCharsets.US_ASCII);
        int length = Math.min(bytes.length, OBJ_NAME_LEN - 1);
        MemorySegment.copy(bytes, 0, attr, JAVA_BYTE, offset, length);
    }

    private static MemorySegment copy(Arena arena, byte[] bytes) {
        MemorySegment segment = arena.allocate(Math.max(1, bytes.length), 8);
        MemorySegment.copy(bytes, 0, segment, JAVA_BYTE, 0, bytes.length);
        return segment;
    }

    private static long check(Syscalls.Result result, String command, String what) {
        if (result.failed()) {
            throw new BpfSyscallException(command, what, result.errno());
        }
        return result.value();
    }
}
