package org.ebpf4j.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The BPF filesystem, where objects are pinned. Pins under {@code /sys/fs/bpf} mount it there first when it is
 * absent (as bpftool does; the kernel refuses pins anywhere else with EPERM); other pin paths must already be in a
 * bpffs mount.
 */
public final class Bpffs {
    /** Where bpffs is mounted by convention, and libbpf's default pin root. */
    public static final Path DEFAULT = Path.of("/sys/fs/bpf");
    /** {@code MNT_DETACH} for {@code umount2}. */
    private static final int MNT_DETACH = 2;

    private Bpffs() {}

    /** Whether a bpffs is mounted exactly at {@code directory} ({@code /proc/self/mounts}). */
    public static boolean isMountedAt(Path directory) {
        String target = directory.toAbsolutePath().normalize().toString();
        return mounts().stream().anyMatch(f -> f[1].equals(target) && f[2].equals("bpf"));
    }

    /** Whether {@code path} is inside a bpffs: the closest mount above it is one. */
    public static boolean contains(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        String type = "";
        int longest = -1;
        for (String[] mount : mounts()) {
            Path point = Path.of(mount[1]);
            if (absolute.startsWith(point) && point.getNameCount() > longest) {
                longest = point.getNameCount();
                type = mount[2];
            }
        }
        return type.equals("bpf");
    }

    /** The lines of {@code /proc/self/mounts}, split: device, mount point, type, ... */
    private static List<String[]> mounts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .map(l -> l.split(" "))
                    .filter(f -> f.length > 2)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mounts", e);
        }
    }

    /** Mounts a bpffs at {@code directory} (which must exist). */
    public static void mount(Path directory) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result result = Libc.MOUNT.call(arena.allocateFrom("bpf"),
                    arena.allocateFrom(directory.toString()), arena.allocateFrom("bpf"), 0L, MemorySegment.NULL);
            if (result.value() != 0) {
                throw new LinuxAttachException("mount of bpffs at " + directory, result.errno());
            }
        }
    }

    /** Unmounts what is mounted at {@code directory} (lazily: open pins stay valid until closed). */
    public static void unmount(Path directory) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.Result result = Libc.UMOUNT2.call(arena.allocateFrom(directory.toString()), MNT_DETACH);
            if (result.value() != 0) {
                throw new LinuxAttachException("umount2 of " + directory, result.errno());
            }
        }
    }

    /**
     * The file name an object called {@code name} is pinned under: bpffs refuses names with a '.' (EPERM), so
     * {@code .rodata} is pinned as {@code _rodata}, as libbpf names it.
     */
    public static String pinName(String name) {
        return name.replace('.', '_');
    }

    /**
     * Makes {@code pin} a path {@code what} can be pinned at: bpffs mounted at /sys/fs/bpf when the pin goes there,
     * the parent directory made. A path outside any bpffs is refused here, with the reason the kernel's EPERM
     * would not give.
     */
    static void prepare(Path pin, String what) {
        Path absolute = pin.toAbsolutePath().normalize();
        if (absolute.startsWith(DEFAULT) && !isMountedAt(DEFAULT)) {
            mount(DEFAULT);
        }
        if (!contains(absolute)) {
            throw new IllegalArgumentException("cannot pin " + what + " at " + pin + ": not in a BPF filesystem"
                    + " (mount one, or pin under " + DEFAULT + ")");
        }
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of pin " + pin, e);
        }
    }
}
