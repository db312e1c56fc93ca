package org.ebpf4j.runtime.helpers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What the kernel's "current task" helpers mean for a program running in this JVM, read from Linux's view of the
 * process ({@code /proc}, {@code /sys}): the JVM's pid is the tgid, the calling thread's kernel thread id the pid.
 * Facts that cannot change while the JVM runs (uid, cgroup, CONFIG_HZ) are read once; where they cannot be read
 * (another operating system, a restricted {@code /proc}) each method says what it returns instead.
 */
public final class JvmProcess {
    private JvmProcess() {}

    private static final Path THREAD_SELF = Path.of("/proc/thread-self");
    /** The kernel's thread id of each platform thread, read once per thread. */
    private static final ThreadLocal<Long> PLATFORM_TID = ThreadLocal.withInitial(JvmProcess::readTid);

    /** The process id: the kernel's tgid. */
    public static long tgid() {
        return ProcessHandle.current().pid();
    }

    /**
     * The kernel's id of the thread running the caller ({@code gettid()}): read from {@code /proc/thread-self}, once
     * per platform thread; a virtual thread gets its carrier's id at each call, as the kernel sees the carrier. Where
     * there is no {@code /proc}, the JVM's thread id.
     */
    public static long tid() {
        return Thread.currentThread().isVirtual() ? readTid() : PLATFORM_TID.get();
    }

    private static long readTid() {
        try {
            // "<pid>/task/<tid>"
            return Long.parseLong(Files.readSymbolicLink(THREAD_SELF).getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return Thread.currentThread().threadId();
        }
    }

    /** bpf_get_current_pid_tgid's value: tgid in the high half, thread id in the low half. */
    public static long pidTgid() {
        return tgid() << 32 | (tid() & 0xffff_ffffL);
    }

    /** The real uid and gid ({@code Uid:}/{@code Gid:} of /proc/self/status), gid in the high half; 0 where unknown. */
    public static long uidGid() {
        return Ids.UID_GID;
    }

    /**
     * The thread's name as the kernel keeps a task's comm: UTF-8, at most 15 bytes (HotSpot names each thread it
     * starts so, through pthread_setname_np).
     */
    public static byte[] comm() {
        byte[] name = Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8);
        return name.length <= 15 ? name : Arrays.copyOf(name, 15);
    }

    /**
     * The id of the process's cgroup v2 (the inode of its directory in the cgroup2 mount); 1, the root cgroup's id,
     * when the process is in the root and cgroup2 is not mounted; 0 when it cannot be found.
     */
    public static long cgroupId() {
        return Cgroup.ID;
    }

    /** CONFIG_HZ of the running kernel (/proc/config.gz or /boot/config-RELEASE), or 1000 when unknown. */
    public static int hz() {
        return Hz.VALUE;
    }

    /**
     * The kernel's jiffies_64: the ticks of the monotonic clock that {@link System#nanoTime()} reads on Linux, plus
     * the offset the kernel's count has from it. That offset is INITIAL_JIFFIES (2^32 - 300 * HZ, so that 32-bit
     * jiffies wrap five minutes after boot) and the time between the clock's start and the first tick; where
     * {@code /proc/timer_list} is readable (root), it gives both and the result is the kernel's to a tick;
     * elsewhere the first is assumed alone (tens of milliseconds early).
     */
    public static long jiffies64() {
        return ticks(System.nanoTime()) + Jiffies.OFFSET;
    }

    private static long ticks(long nanos) {
        long hz = hz();
        return nanos / 1_000_000_000L * hz + nanos % 1_000_000_000L * hz / 1_000_000_000L;
    }

    private static final class Jiffies {
        static final long OFFSET = read();

        private static long read() {
            long initial = (1L << 32) - 300L * hz();
            try {
                long now = -1;
                for (String line : Files.readAllLines(Path.of("/proc/timer_list"))) {
                    if (now < 0 && line.startsWith("now at ")) {
                        now = Long.parseLong(line.substring("now at ".length()).split(" ")[0]);
                    } else if (now >= 0 && line.startsWith("jiffies: ")) {
                        return Long.parseLong(line.substring("jiffies: ".length()).trim()) - ticks(now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not readable: below
            }
            return initial;
        }
    }

    private static final class Ids {
        static final long UID_GID = read();

        private static long read() {
            try {
                List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
                return realId(status, "Gid:") << 32 | realId(status, "Uid:");
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        /** The first (real) of the four ids on a status line. */
        private static long realId(List<String> status, String key) {
            for (String line : status) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
            throw new IllegalStateException("no " + key + " line");
        }
    }

    private static final class Cgroup {
        static final long ID = read();

        private static long read() {
            try {
                Optional<String> path = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                        .filter(l -> l.startsWith("0::")).map(l -> l.substring(3)).findFirst();
                if (path.isEmpty()) {
                    return 0;
                }
                for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                    // id parent major:minor root mountpoint options... - fstype source options
                    String[] halves = line.split(" - ", 2);
                    String[] fields = halves[0].split(" ");
                    if (halves.length == 2 && halves[1].startsWith("cgroup2 ")
                            && path.get().startsWith(fields[3])) {
                        String relative = path.get().substring(fields[3].length()).replaceFirst("^/", "");
                        Path dir = Path.of(fields[4]).resolve(relative);
                        return ((Number) Files.getAttribute(dir, "unix:ino")).longValue();
                    }
                }
                return path.get().equals("/") ? 1 : 0;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    private static final class Hz {
        static final int VALUE = read();

        private static int read() {
            try {
                for (String line : config()) {
                    if (line.startsWith("CONFIG_HZ=")) {
                        return Integer.parseInt(line.substring("CONFIG_HZ=".length()).trim());
                    }
                }
            } catch (IOException | UncheckedIOException | NumberFormatException e) {
                // unknown: below
            }
            return 1000;
        }

        private static List<String> config() throws IOException {
            Path proc = Path.of("/proc/config.gz");
            if (Files.isReadable(proc)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(proc))) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                }
            }
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            return Files.readAllLines(Path.of("/boot/config-" + release));
        }
    }
}
