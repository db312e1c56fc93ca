package org.ebpf4j.elf.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The number of possible CPUs, read as libbpf reads it ({@code libbpf_num_possible_cpus}): a perf event array
 * declared without {@code max_entries} gets one slot per possible CPU.
 */
final class PossibleCpus {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private PossibleCpus() {}

    static int count() {
        try {
            return count(Files.readString(POSSIBLE).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Counts a CPU list like {@code 0-3,8,10-11}. */
    static int count(String list) {
        int n = 0;
        for (String range : list.split(",")) {
            int dash = range.indexOf('-');
            n += dash < 0 ? 1
                    : Integer.parseInt(range.substring(dash + 1)) - Integer.parseInt(range.substring(0, dash)) + 1;
        }
        return n;
    }
}
