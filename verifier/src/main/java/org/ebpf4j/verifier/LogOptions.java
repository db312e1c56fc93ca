package org.ebpf4j.verifier;

import java.util.Comparator;
import java.util.List;
import org.ebpf4j.spec.ProgramSpec;

/**
 * What log the verifier writes, as {@code BPF_PROG_LOAD}'s {@code log_level} and {@code log_size} ask the kernel,
 * plus the program's BTF line_info, which the kernel's log quotes as {@code ; source line @ file.c:12} comments.
 *
 * @param level 0: no log at all (nothing is formatted or kept); 1: the kernel's BPF_LOG_LEVEL1, the path that
 *     failed, or on acceptance only the statistics; 2: BPF_LOG_LEVEL2, every instruction of every path walked
 * @param size the most characters kept: like the kernel's rotating log, the end of a longer log is kept and the
 *     verdict says that the beginning was dropped ({@link Verdict#logTruncated()})
 * @param lines the program's source lines by instruction slot (from {@code .BTF.ext}); empty without BTF
 */
public record LogOptions(int level, int size, List<ProgramSpec.SourceLine> lines) {
    /** libbpf's default log buffer, 16 MiB ({@code UINT32_MAX >> 8}). */
    public static final int DEFAULT_SIZE = 0xffffffff >>> 8;
    /** No log. */
    public static final LogOptions NONE = new LogOptions(0, DEFAULT_SIZE, List.of());

    public LogOptions {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("log level must be 0, 1 or 2, not " + level);
        }
        if (size < 1) {
            throw new IllegalArgumentException("log size must be positive, not " + size);
        }
        lines = lines.stream().sorted(Comparator.comparingInt(ProgramSpec.SourceLine::slot)).toList();
    }

    /** A log at {@code level} of the default size, without source lines. */
    public static LogOptions level(int level) {
        return new LogOptions(level, DEFAULT_SIZE, List.of());
    }

    /** This log quoting the program's source lines. */
    public LogOptions withLines(List<ProgramSpec.SourceLine> programLines) {
        return new LogOptions(level, size, programLines);
    }

    /** This log kept within {@code characters}. */
    public LogOptions withSize(int characters) {
        return new LogOptions(level, characters, lines);
    }
}
