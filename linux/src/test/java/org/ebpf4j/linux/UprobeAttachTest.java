package org.ebpf4j.linux;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R10;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapType;
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

    /**
     * The acceptance case: a uprobe fires and reports to Java through a ring buffer. The program sends
     * {@code bpf_get_current_pid_tgid()} with {@code bpf_ringbuf_output} on every call of getpid by this process.
     */
    @Test
    void aUprobeReportsEveryCallThroughARingBuffer() {
        Instructions code = new ProgramBuilder()
                .call(HelperFunction.GET_CURRENT_PID_TGID.value())
                .mov64(R6, R0)
                .alu64(AluOp.RSH, R0, 32)
                .jump(JumpOp.JNE, R0, Tracing.PID, "out")
                .stx(Size.DW, R10, -8, R6)
                .lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 0)
                .mov64(R2, R10)
                .alu64(AluOp.ADD, R2, -8)
                .mov64(R3, 8)
                .mov64(R4, 0)
                .call(HelperFunction.RINGBUF_OUTPUT.value())
                .label("out")
                .mov64(R0, 0)
                .exit()
                .build();
        CollectionSpec spec = BuiltPrograms.collection(ProgramType.KPROBE, Optional.empty(), code,
                BuiltPrograms.map("calls", MapType.RINGBUF, 0, 0, 4096));
        try (Collection loaded = KernelTests.backend().load(spec);
             LinuxRingBuffer ring = LinuxRingBuffer.open(loaded.map("calls"))) {
            List<Long> threads = new ArrayList<>();
            try (LinuxLink link = LinuxLinks.uprobe(loaded.program("prog"), libc, "getpid", false)) {
                Tracing.getpid(5);
                while (ring.consume(Duration.ofMillis(200), r -> threads.add(r.getLong(0))) > 0) {
                    // Drained until a wait comes back empty.
                }
            }
            assertTrue(threads.size() >= 5, "records: " + threads.size());
            assertTrue(threads.stream().allMatch(pidTgid -> pidTgid >>> 32 == Tracing.PID), threads.toString());
        }
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

    private static CollectionSpec counter() {
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
