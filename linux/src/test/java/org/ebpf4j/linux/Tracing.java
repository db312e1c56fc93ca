package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assumptions.abort;
import static org.ebpf4j.isa.Register.R0;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.spec.HelperFunction;

/** What the tracing tests share: tracefs, a syscall Java can make on demand, a filter on this process. */
@SuppressWarnings("restricted")
final class Tracing {
    /** libc's {@code getpid}, which glibc (2.25+) no longer caches: every call is a system call. */
    private static final MethodHandle GETPID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("getpid"), FunctionDescriptor.of(ValueLayout.JAVA_INT));
    static final int PID = (int) ProcessHandle.current().pid();

    private Tracing() {}

    /** Mounts tracefs at /sys/kernel/tracing when it is nowhere (left mounted: it is the kernel's usual state). */
    static void requireTracefs() {
        if (Tracefs.root().isPresent()) {
            return;
        }
        try {
            new ProcessBuilder("mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing").inheritIO().start()
                    .waitFor();
        } catch (IOException e) {
            abort("tracefs is not mounted and mount could not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Tracefs.root().isEmpty()) {
            abort("tracefs is not mounted and could not be mounted at /sys/kernel/tracing");
        }
    }

    static void getpid(int times) {
        for (int i = 0; i < times; i++) {
            try {
                int pid = (int) GETPID.invokeExact();
                if (pid != PID) {
                    throw new AssertionError("getpid() said " + pid);
                }
            } catch (Throwable t) {
                throw new IllegalStateException("getpid() could not be called", t);
            }
        }
    }

    /** A counter filter: skip events of other processes ({@code bpf_get_current_pid_tgid() >> 32} is the tgid). */
    static void onlyThisProcess(ProgramBuilder b) {
        b.call(HelperFunction.GET_CURRENT_PID_TGID.value())
                .alu64(AluOp.RSH, R0, 32)
                .jump(JumpOp.JNE, R0, PID, BuiltPrograms.SKIP);
    }
}
