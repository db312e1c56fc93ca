package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Uprobes and uretprobes through {@code perf_event_open} (the uprobe PMU) + {@code BPF_LINK_CREATE}, on libc's
 * {@code getpid} as this JVM has it mapped: Java calls it through FFM and the program counts the calls.
 */
class UprobeAttachTest {
    private Path libc;

    @BeforeEach
    void requirements() throws IOException {
        KernelTests.backend();
        assumeTrue(Files.exists(Path.of("/sys/bus/event_source/devices/uprobe/type")), "this kernel has no uprobes");
        libc = mappedLibc();
    }

    @Test
    void aUprobeRunsOnEveryCallUntilTheLinkCloses() {
        countsGetpidCalls(false);
    }

    @Test
    void aUretprobeRunsOnEveryReturn() {
        countsGetpidCalls(true);
    }

    @Test
    void aMissingSymbolIsNamed() {
        try (Collection loaded = KernelTests.backend().load(counter())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LinuxLinks.uprobe(loaded.program("prog"), libc, "ebpf4j_no_such_function", false));
            assertEquals(libc + " defines no symbol 'ebpf4j_no_such_function'", e.getMessage());
        }
    }

    private void countsGetpidCalls(boolean retprobe) {
        try (Collection loaded = KernelTests.backend().load(counter())) {
            try (LinuxLink link = LinuxLinks.uprobe(loaded.program("prog"), libc, "getpid", retprobe)) {
                Tracing.getpid(6);
                assertTrue(BuiltPrograms.count(loaded) >= 6, "counted " + BuiltPrograms.count(loaded));
            }
            long atClose = BuiltPrograms.count(loaded);
            Tracing.getpid(3);
            assertEquals(atClose, BuiltPrograms.count(loaded), "a closed link counts no more calls");
        }
    }

    private static org.ebpf4j.spec.CollectionSpec counter() {
        return BuiltPrograms.counter(ProgramType.KPROBE, Optional.empty(), Tracing::onlyThisProcess, 0, 0);
    }

    /** The libc this process runs, as /proc/self/maps names it (uprobes go on files, by inode). */
    static Path mappedLibc() throws IOException {
        Optional<Path> found = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .filter(path -> path.matches(".*/libc\\.so\\.6$|.*/libc-[0-9.]+\\.so$"))
                .map(Path::of)
                .findFirst();
        assumeTrue(found.isPresent(), "this process maps no glibc");
        return found.get();
    }
}
