package org.ebpf4j.linux;

import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.api.Collection;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tracepoints through {@code perf_event_open} + {@code BPF_LINK_CREATE}, and raw tracepoints through
 * {@code BPF_RAW_TRACEPOINT_OPEN}: programs count this process's {@code getpid} calls, made from Java through FFM.
 */
class TracepointAttachTest {
    /** {@code __NR_getpid} on x86_64 and aarch64: what {@code sys_enter}'s second argument is for getpid. */
    private static final int NR_GETPID = System.getProperty("os.arch").equals("aarch64") ? 172 : 39;

    @BeforeEach
    void requirements() {
        KernelTests.backend();
        Tracing.requireTracefs();
    }

    @Test
    void aTracepointProgramRunsOnEverySyscallUntilTheLinkCloses() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.TRACEPOINT,
                Optional.empty(), Tracing::onlyThisProcess, 0, 0))) {
            try (LinuxLink link = LinuxLinks.tracepoint(loaded.program("prog"), "syscalls", "sys_enter_getpid")) {
                assertTrue(link.description().contains("tracepoint syscalls/sys_enter_getpid"), link.description());
                Tracing.getpid(7);
                // Other threads of this JVM might call getpid too; this one's seven calls are all counted.
                assertTrue(BuiltPrograms.count(loaded) >= 7, "counted " + BuiltPrograms.count(loaded));
            }
            long atClose = BuiltPrograms.count(loaded);
            Tracing.getpid(5);
            assertEquals(atClose, BuiltPrograms.count(loaded), "a closed link counts no more calls");
        }
    }

    @Test
    void anUnknownTracepointIsNamed() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.TRACEPOINT,
                Optional.empty(), b -> { }, 0, 0))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LinuxLinks.tracepoint(loaded.program("prog"), "syscalls", "sys_enter_ebpf4j"));
            assertTrue(e.getMessage().startsWith("no tracepoint syscalls/sys_enter_ebpf4j"), e.getMessage());
        }
    }

    @Test
    void aProgramOfTheWrongTypeIsRefusedAndTheEventIsClosed() throws IOException {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.XDP,
                Optional.empty(), b -> { }, 2, 2))) {
            long before = openFds();
            LinuxBpfException e = assertThrows(LinuxBpfException.class,
                    () -> LinuxLinks.tracepoint(loaded.program("prog"), "syscalls", "sys_enter_getpid"));
            assertEquals("BPF_LINK_CREATE of program 'prog' (XDP) on tracepoint syscalls/sys_enter_getpid failed:"
                    + " EINVAL (22)", e.getMessage());
            assertEquals(before, openFds(), "the perf event opened for the link is closed again");
        }
    }

    @Test
    void closingALinkTwiceIsHarmless() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.TRACEPOINT,
                Optional.empty(), Tracing::onlyThisProcess, 0, 0))) {
            LinuxLink link = LinuxLinks.tracepoint(loaded.program("prog"), "syscalls", "sys_enter_getpid");
            link.close();
            link.close();
            Tracing.getpid(2);
            assertEquals(0, BuiltPrograms.count(loaded));
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aRawTracepointProgramSeesTheSyscallNumber() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.RAW_TRACEPOINT,
                Optional.empty(), TracepointAttachTest::onlyGetpidOfThisProcess, 0, 0))) {
            try (LinuxLink link = LinuxLinks.rawTracepoint(loaded.program("prog"), "sys_enter")) {
                Tracing.getpid(4);
                assertTrue(BuiltPrograms.count(loaded) >= 4, "counted " + BuiltPrograms.count(loaded));
            }
            long atClose = BuiltPrograms.count(loaded);
            Tracing.getpid(3);
            assertEquals(atClose, BuiltPrograms.count(loaded));
        }
    }

    /** {@code struct bpf_raw_tracepoint_args { __u64 args[]; }}: sys_enter's are (regs, syscall number). */
    private static void onlyGetpidOfThisProcess(ProgramBuilder b) {
        b.ldx(Size.DW, R2, R6, 8).jump(JumpOp.JNE, R2, NR_GETPID, BuiltPrograms.SKIP);
        Tracing.onlyThisProcess(b);
    }
}
