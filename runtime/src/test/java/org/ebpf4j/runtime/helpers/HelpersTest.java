package org.ebpf4j.runtime.helpers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.runtime.memory.SharedRegions;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * The helpers' edges that the kernel fixtures cannot reach (they would not pass the kernel's verifier, or depend on
 * addresses only the JVM has), each with the kernel's documented result.
 */
class HelpersTest {
    private final Invocation invocation = new Invocation();
    private final HelperRegistry helpers = SpinLockHelpers.register(ProbeReadHelpers.register(
            StringHelpers.register(ProcessHelpers.register(HelperRegistry.empty()))));

    private long call(HelperFunction f, long r1, long r2, long r3, long r4, long r5) {
        return helpers.get(f.value()).call(invocation, r1, r2, r3, r4, r5);
    }

    private long buffer(byte[] bytes) {
        return invocation.map(Region.of("buffer", bytes));
    }

    private static long errno(Errno e) {
        return -e.value();
    }

    @Test
    void probeReadsOfUnmappedMemoryFaultWithTheDestinationZeroed() {
        byte[] dst = {7, 7, 7, 7, 7, 7, 7, 7};
        long d = buffer(dst);
        long nowhere = Pointer.of(0x3000_0000, 0);
        for (HelperFunction f : new HelperFunction[] {HelperFunction.PROBE_READ, HelperFunction.PROBE_READ_USER,
                HelperFunction.PROBE_READ_KERNEL}) {
            java.util.Arrays.fill(dst, (byte) 7);
            assertEquals(errno(Errno.EFAULT), call(f, d, 8, nowhere, 0, 0), f.kernelName());
            assertArrayEquals(new byte[8], dst);
        }
        long shortSource = buffer(new byte[] {1, 2, 3, 4});
        java.util.Arrays.fill(dst, (byte) 7);
        assertEquals(errno(Errno.EFAULT), call(HelperFunction.PROBE_READ_KERNEL, d, 8, shortSource, 0, 0),
                "a copy that leaves its region is a fault too");
        assertArrayEquals(new byte[8], dst);
    }

    @Test
    void stringProbeReadsCountTheirNul() {
        byte[] dst = new byte[8];
        long d = buffer(dst);
        long text = buffer("hello\0xyz".getBytes(StandardCharsets.ISO_8859_1));
        java.util.Arrays.fill(dst, (byte) 7);
        assertEquals(6, call(HelperFunction.PROBE_READ_USER_STR, d, 8, text, 0, 0));
        assertArrayEquals(new byte[] {'h', 'e', 'l', 'l', 'o', 0, 7, 7}, dst, "bytes after the NUL stay");
        assertEquals(3, call(HelperFunction.PROBE_READ_STR, d, 3, text, 0, 0), "cut to size, NUL last");
        assertArrayEquals(new byte[] {'h', 'e', 0}, java.util.Arrays.copyOf(dst, 3));
        assertEquals(0, call(HelperFunction.PROBE_READ_KERNEL_STR, d, 0, text, 0, 0));
        long unterminated = buffer(new byte[] {'a', 'b'});
        java.util.Arrays.fill(dst, (byte) 7);
        assertEquals(errno(Errno.EFAULT), call(HelperFunction.PROBE_READ_KERNEL_STR, d, 8, unterminated, 0, 0));
        assertArrayEquals(new byte[8], dst);
    }

    @Test
    void snprintfChecksItsArgumentArray() {
        byte[] out = new byte[16];
        long o = buffer(out);
        long fmt = buffer("%d-%d\0".getBytes(StandardCharsets.ISO_8859_1));
        byte[] data = new byte[13 * 8];
        data[0] = 4;
        data[8] = 2;
        long args = buffer(data);
        assertEquals(4, call(HelperFunction.SNPRINTF, o, 16, fmt, args, 16));
        assertEquals("4-2\0", new String(out, 0, 4, StandardCharsets.ISO_8859_1));
        assertEquals(errno(Errno.EINVAL), call(HelperFunction.SNPRINTF, o, 16, fmt, args, 12), "not a multiple of 8");
        assertEquals(errno(Errno.EINVAL), call(HelperFunction.SNPRINTF, o, 16, fmt, args, 13 * 8), "over 12 arguments");
        assertEquals(errno(Errno.EINVAL), call(HelperFunction.SNPRINTF, o, 16, fmt, args, 8), "too few arguments");
        assertEquals(errno(Errno.EINVAL), call(HelperFunction.SNPRINTF, o, 16, fmt, 0, 16), "no argument array");
    }

    @Test
    void spinLocksRefuseWhatTheVerifierWouldRefuse() {
        long stack = Invocation.framePointer(0) - 8;
        assertTrue(assertThrows(MemoryAccessException.class, () -> call(HelperFunction.SPIN_LOCK, stack, 0, 0, 0, 0))
                .getMessage().contains("not in a map value"));
        int id = SharedRegions.register(Region.shared("value", 16));
        try {
            long lock = Pointer.of(id, 0);
            assertEquals(0, call(HelperFunction.SPIN_LOCK, lock, 0, 0, 0, 0));
            assertEquals(1, invocation.memory().load(lock, 4), "taken");
            assertTrue(assertThrows(MemoryAccessException.class,
                    () -> call(HelperFunction.SPIN_LOCK, Pointer.of(id, 8), 0, 0, 0, 0)).getMessage()
                    .contains("already holds"));
            assertEquals(0, call(HelperFunction.SPIN_UNLOCK, lock, 0, 0, 0, 0));
            assertEquals(0, invocation.memory().load(lock, 4), "free");
            assertTrue(assertThrows(MemoryAccessException.class,
                    () -> call(HelperFunction.SPIN_UNLOCK, lock, 0, 0, 0, 0)).getMessage().contains("not held"));
        } finally {
            SharedRegions.release(id);
        }
    }

    @Test
    void theAttachmentGivesCookieAndFunctionAddress() {
        assertEquals(0, call(HelperFunction.GET_ATTACH_COOKIE, 0, 0, 0, 0, 0), "none without an attachment");
        assertEquals(0, call(HelperFunction.GET_FUNC_IP, 0, 0, 0, 0, 0));
        invocation.setAttachment(0xc00c1e, 0x4000_1234L);
        assertEquals(0xc00c1e, call(HelperFunction.GET_ATTACH_COOKIE, 0, 0, 0, 0, 0));
        assertEquals(0x4000_1234L, call(HelperFunction.GET_FUNC_IP, 0, 0, 0, 0, 0));
    }

    @Test
    void theCurrentTaskIsThisThreadOfThisProcess() {
        assertEquals(ProcessHandle.current().pid(), call(HelperFunction.GET_CURRENT_PID_TGID, 0, 0, 0, 0, 0) >>> 32);
        byte[] comm = new byte[16];
        String name = Thread.currentThread().getName();
        assertEquals(0, call(HelperFunction.GET_CURRENT_COMM, buffer(comm), 16, 0, 0, 0));
        byte[] expected = java.util.Arrays.copyOf(name.getBytes(StandardCharsets.UTF_8), 16);
        expected[15] = 0;
        assertArrayEquals(expected, comm);
        assertEquals(0, call(HelperFunction.GET_NUMA_NODE_ID, 0, 0, 0, 0, 0));
        long j = call(HelperFunction.JIFFIES64, 0, 0, 0, 0, 0);
        assertTrue(j > (1L << 32) - 300L * JvmProcess.hz(), "jiffies start at INITIAL_JIFFIES");
    }

    @Test
    void aThreadIdIsOneOfThisProcesssKernelThreads() throws Exception {
        long[] tids = new long[2];
        Thread platform = Thread.ofPlatform().start(() -> tids[0] = JvmProcess.pidTgid() & 0xffff_ffffL);
        Thread virtual = Thread.ofVirtual().start(() -> tids[1] = JvmProcess.pidTgid() & 0xffff_ffffL);
        platform.join();
        virtual.join();
        // A platform thread's id while it runs; a virtual thread's is its carrier's, another of this process's threads.
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(tasks), "no /proc");
        assertTrue(tids[0] != ProcessHandle.current().pid(), "not the main thread's id");
        assertTrue(java.nio.file.Files.isDirectory(tasks.resolve(Long.toString(tids[1]))),
                "carrier thread " + tids[1] + " is a task of this process");
    }

    @Test
    void packetHelpersFollowTheProgramType() {
        HelperRegistry base = HelperRegistry.empty();
        assertNull(PacketHelpers.register(base, ProgramType.SOCKET_FILTER).get(HelperFunction.SKB_STORE_BYTES.value()),
                "socket filters cannot write packets");
        assertEquals("bpf_skb_load_bytes", PacketHelpers.register(base, ProgramType.SOCKET_FILTER)
                .name(HelperFunction.SKB_LOAD_BYTES.value()));
        assertNull(PacketHelpers.register(base, ProgramType.XDP).get(HelperFunction.SKB_LOAD_BYTES.value()));
        assertNull(PacketHelpers.register(base, ProgramType.KPROBE).get(HelperFunction.XDP_ADJUST_HEAD.value()));
        Helper redirectMap = PacketHelpers.register(base, ProgramType.XDP).get(HelperFunction.REDIRECT_MAP.value());
        assertTrue(assertThrows(MemoryAccessException.class, () -> redirectMap.call(invocation, 0, 0, 0, 0, 0))
                .getMessage().contains("no DEVMAP"));
    }

    @Test
    void checksumsAgreeWithRfc1071() {
        Random random = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] data = new byte[2 * random.nextInt(40)];
            random.nextBytes(data);
            // RFC 1071: the sum of big-endian 16-bit words; the kernel sums little-endian words, the byte-swapped sum.
            long sum = 0;
            for (int i = 0; i < data.length; i += 2) {
                sum += (data[i] & 0xff) << 8 | data[i + 1] & 0xff;
            }
            while ((sum >> 16) != 0) {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            int rfc = (int) ~sum & 0xffff;
            int kernel = Checksums.fold(Checksums.partial(data, 0, data.length, 0));
            // Equal as ones' complement numbers (0 and 0xffff are both zero).
            assertEquals(rfc % 0xffff, (Short.reverseBytes((short) kernel) & 0xffff) % 0xffff, "round " + round);
            // Replacing a 4-byte field and updating the checksum equals recomputing it.
            if (data.length >= 8) {
                int at = 2 * random.nextInt(data.length / 2 - 1) & ~3;
                int from = (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16
                        | (data[at + 3] & 0xff) << 24;
                int to = random.nextInt();
                byte[] changed = data.clone();
                for (int b = 0; b < 4; b++) {
                    changed[at + b] = (byte) (to >>> (8 * b));
                }
                int recomputed = Checksums.fold(Checksums.partial(changed, 0, changed.length, 0));
                int updated = Checksums.replace4(kernel, from, to);
                assertEquals(recomputed % 0xffff, updated % 0xffff, "round " + round + ": same ones' complement value");
            }
        }
    }
}
