package org.ebpf4j.linux;

import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.spec.Errno;

/**
 * {@code perf_event_open(2)} for the events a BPF program attaches to: tracepoints and uprobes. The program then
 * hangs off the event through {@code BPF_LINK_CREATE} ({@code BPF_PERF_EVENT}).
 */
final class PerfEvents {
    /**
     * The head of {@code struct perf_event_attr} ({@code include/uapi/linux/perf_event.h}) up to {@code config2}:
     * {@code PERF_ATTR_SIZE_VER1}, 72 bytes. The bit-field word ({@code disabled}, {@code inherit}, ...) stays 0:
     * the event is enabled from the start.
     */
    static final StructLayout ATTR = structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("size"),
            JAVA_LONG.withName("config"),
            JAVA_LONG.withName("sample_period"),
            JAVA_LONG.withName("sample_type"),
            JAVA_LONG.withName("read_format"),
            JAVA_LONG.withName("flags"),
            JAVA_INT.withName("wakeup_events"),
            JAVA_INT.withName("bp_type"),
            JAVA_LONG.withName("config1"),
            JAVA_LONG.withName("config2"));

    /** {@code PERF_TYPE_SOFTWARE} and {@code PERF_TYPE_TRACEPOINT} of {@code enum perf_type_id}. */
    private static final int PERF_TYPE_SOFTWARE = 1;
    private static final int PERF_TYPE_TRACEPOINT = 2;
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}: the software event {@code bpf_perf_event_output} writes samples to. */
    private static final int PERF_COUNT_SW_BPF_OUTPUT = 10;
    /** {@code PERF_SAMPLE_RAW}: samples carry the program's bytes. */
    private static final long PERF_SAMPLE_RAW = 1L << 10;
    /** {@code PERF_FLAG_FD_CLOEXEC}. */
    private static final long PERF_FLAG_FD_CLOEXEC = 1L << 3;
    /** Where the kernel publishes the dynamic PMU type of uprobes and the config bit that makes one a uretprobe. */
    private static final Path UPROBE_PMU = Path.of("/sys/bus/event_source/devices/uprobe");

    private PerfEvents() {}

    /** A perf event on tracepoint {@code category/name}, for every process on every CPU. */
    static Fd tracepoint(String category, String name) {
        long id = Tracefs.eventId(category, name);
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, ATTR)
                    .u32("type", PERF_TYPE_TRACEPOINT)
                    .u32("size", (int) ATTR.byteSize())
                    .u64("config", id)
                    .u64("sample_period", 1)
                    .u32("wakeup_events", 1);
            return open(attr, "tracepoint " + category + "/" + name);
        }
    }

    /**
     * A perf event on the instruction at file offset {@code offset} of {@code binary} ({@code uprobe}), or on the
     * return of the function there ({@code uretprobe}), in every process that maps the file.
     */
    static Fd uprobe(Path binary, long offset, boolean retprobe) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, ATTR)
                    .u32("type", uprobeType())
                    .u32("size", (int) ATTR.byteSize())
                    .u64("config", retprobe ? 1L << retprobeBit() : 0)
                    .pointer("config1", arena.allocateFrom(binary.toAbsolutePath().toString()))
                    .u64("config2", offset);
            return open(attr, (retprobe ? "uretprobe " : "uprobe ") + binary + "+0x" + Long.toHexString(offset));
        }
    }

    /**
     * The {@code bpf_perf_event_output} event of one CPU, waking readers on every sample. Empty when the CPU is
     * offline (ENODEV), which a possible CPU may be.
     */
    static Optional<Fd> bpfOutput(int cpu) {
        try (Arena arena = Arena.ofConfined()) {
            Attr attr = Attr.of(arena, ATTR)
                    .u32("type", PERF_TYPE_SOFTWARE)
                    .u32("size", (int) ATTR.byteSize())
                    .u64("config", PERF_COUNT_SW_BPF_OUTPUT)
                    .u64("sample_period", 1)
                    .u64("sample_type", PERF_SAMPLE_RAW)
                    .u32("wakeup_events", 1);
            Syscalls.Result result = Syscalls.perfEventOpen(attr.segment(), -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
            if (result.failed() && result.errno() == Errno.ENODEV.value()) {
                return Optional.empty();
            }
            if (result.failed()) {
                throw new LinuxAttachException("perf_event_open of the BPF output event of CPU " + cpu,
                        result.errno());
            }
            return Optional.of(new Fd((int) result.value()));
        }
    }

    /**
     * Opens with pid -1 and cpu 0, as libbpf does: a BPF program on a tracepoint or uprobe runs for every task
     * on every CPU, whichever CPU the event was opened on.
     */
    private static Fd open(Attr attr, String describe) {
        Syscalls.Result result = Syscalls.perfEventOpen(attr.segment(), -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
        if (result.failed()) {
            throw new LinuxAttachException("perf_event_open of " + describe, result.errno());
        }
        return new Fd((int) result.value());
    }

    private static int uprobeType() {
        return Integer.parseInt(read(UPROBE_PMU.resolve("type")));
    }

    /** The bit of {@code config} the PMU's format names {@code retprobe}: the file says {@code config:0}. */
    private static int retprobeBit() {
        String format = read(UPROBE_PMU.resolve("format").resolve("retprobe"));
        return Integer.parseInt(format.substring(format.indexOf(':') + 1));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UnsupportedOperationException("this kernel has no uprobe PMU (" + file + " unreadable: "
                    + e.getMessage() + ")", e);
        }
    }
}
