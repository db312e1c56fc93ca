package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.helpers.JvmProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The "current task" helpers (fixtures/src/process_helpers.c) against two views of the calling thread: Java's own
 * (pid, thread name) and the kernel's, which a TC test run reports for the thread that starts it. Both runs happen
 * on one platform thread with a name longer than a comm.
 */
class ProcessHelpersTest {
    private static final String THREAD_NAME = "ebpf4j-current-task-test";

    /** The globals of process_helpers.c after one run. */
    record Current(long pidTgid, long uidGid, long cgroupId, long jiffies, long numaNode, long[] commResults,
                   byte[] comm, byte[] commShort, byte[] commLong) {
        static Current of(Collection c) {
            ByteBuffer bss = ByteBuffer.wrap(c.map(".bss").lookup(new byte[4]).orElseThrow())
                    .order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer data = ByteBuffer.wrap(c.map(".data").lookup(new byte[4]).orElseThrow());
            // .bss as clang lays it out: pid_tgid, uid_gid, cgroup_id, jiffies, numa_node, comm[16],
            // comm_results[3], comm_short[4]
            long[] v = new long[8];
            for (int i = 0; i < 5; i++) {
                v[i] = bss.getLong();
            }
            byte[] comm = new byte[16];
            bss.get(comm);
            for (int i = 5; i < 8; i++) {
                v[i] = bss.getLong();
            }
            byte[] commShort = new byte[4];
            bss.get(commShort);
            byte[] commLong = new byte[20];
            data.get(commLong);
            return new Current(v[0], v[1], v[2], v[3], v[4], Arrays.copyOfRange(v, 5, 8), comm, commShort, commLong);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theJvmSeesTheThreadAsTheKernelDoes(Engine engine) throws Exception {
        Backend kernel = kernelOrSkip();
        Current[] both = onNamedThread(() -> {
            try (Collection onKernel = kernel.load(Fixtures.load("process_helpers.v3.o"));
                 Collection onJvm = new JvmBackend().withEngine(engine)
                         .load(Fixtures.load("process_helpers.v3.o"), LoadOptions.defaults().unverified())) {
                long before = JvmProcess.jiffies64();
                onKernel.program("current").testRun(TestRun.of(Fixtures.packet(64)));
                long after = JvmProcess.jiffies64();
                onJvm.program("current").testRun(TestRun.of(Fixtures.packet(64)));
                Current k = Current.of(onKernel);
                // The JVM's jiffies bracket the kernel's, give or take the tick the kernel may not have counted yet;
                // without /proc/timer_list to calibrate from, the JVM's count is up to a fifth of a second early.
                long slack = Files.isReadable(Path.of("/proc/timer_list")) ? 1 : JvmProcess.hz() / 5;
                assertTrue(k.jiffies() >= before - 1 && k.jiffies() <= after + slack, "jiffies: kernel "
                        + k.jiffies() + ", JVM before " + before + " and after " + after + " at HZ " + JvmProcess.hz());
                return new Current[] {k, Current.of(onJvm)};
            }
        });
        Current k = both[0];
        Current j = both[1];
        assertEquals(Long.toHexString(k.pidTgid()), Long.toHexString(j.pidTgid()), "tgid << 32 | thread id");
        assertEquals(ProcessHandle.current().pid(), j.pidTgid() >>> 32);
        assertEquals(Long.toHexString(k.uidGid()), Long.toHexString(j.uidGid()), "gid << 32 | uid");
        assertEquals(k.cgroupId(), j.cgroupId(), "cgroup v2 id");
        assertEquals(k.numaNode(), j.numaNode());
        assertArrayEquals(k.commResults(), j.commResults());
        assertEquals(new String(k.comm(), StandardCharsets.UTF_8), new String(j.comm(), StandardCharsets.UTF_8));
        assertArrayEquals(k.comm(), j.comm());
        assertArrayEquals("ebpf4j-current-\0".getBytes(StandardCharsets.UTF_8), j.comm(),
                "the thread's name cut to 15 bytes and a NUL");
        assertArrayEquals(k.commShort(), j.commShort());
        assertArrayEquals(k.commLong(), j.commLong(), "strscpy_pad zeroes the rest of the buffer");
        assertTrue(j.jiffies() >= k.jiffies() - 1, "the JVM's run came after the kernel's");
    }

    private interface Task<T> {
        T run() throws Exception;
    }

    /** Runs a task on a platform thread named {@link #THREAD_NAME}, which HotSpot also gives the kernel as comm. */
    private static <T> T onNamedThread(Task<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(THREAD_NAME).start(() -> {
            try {
                result.complete(task.run());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        thread.join();
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Backend kernelOrSkip() {
        try {
            return LinuxBackend.open();
        } catch (BpfException | UnsupportedOperationException e) {
            assumeTrue(false, e.getMessage() + " (the kernel side needs bpf(): run as root)");
            throw e;
        }
    }
}
