package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteOrder;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.spec.CollectionSpec;
import org.junit.jupiter.api.Test;

/**
 * {@code BPF_PROG_TEST_RUN} on fixture XDP programs, with every expected value computed by hand from the C source
 * (fixtures/src/subprogs.c and globals.c).
 */
class TestRunTest {
    /** XDP actions. */
    private static final long XDP_DROP = 1;
    private static final long XDP_PASS = 2;
    private static final long XDP_TX = 3;
    private static final Path SYMBOLS = Path.of("..", "fixtures", "expected", "globals.v3.syms");

    @Test
    void subprogramChainsComputeWhatTheCSays() {
        try (Collection subprogs = KernelTests.backend().load(FixtureObjects.load("subprogs.v3.o"))) {
            // Without a context the kernel runs XDP on the loopback device's queue 0: ingress_ifindex 1,
            // rx_queue_index 0. first: top(1) & 3, where leaf(x) = 3x + 1, middle(x) = leaf(x) + leaf(x >> 1),
            // upper(x) = middle(x) ^ middle(x + 1), top(x) = upper(x) + leaf(x):
            // middle(1) = 4 + 1 = 5, middle(2) = 7 + 4 = 11, upper(1) = 5 ^ 11 = 14, top(1) = 14 + 4 = 18; 18 & 3 = 2.
            assertEquals(XDP_PASS, run(subprogs, "first", packet(64)).returnValue());
            // second: static_helper(0) & 3 = (global_helper(0, 10) + 1) & 3 = (10 + 1) & 3 = 3.
            assertEquals(XDP_TX, run(subprogs, "second", packet(64)).returnValue());
            // third: (middle(len) + global_helper(1, 2)) & 3, global_helper(1, 2) = 1:
            // len 64: leaf(64) + leaf(32) = 193 + 97 = 290, + 1 = 291, & 3 = 3;
            // len 60: 181 + 91 = 272, + 1 = 273, & 3 = 1; len 61: 184 + 91 + 1 = 276, & 3 = 0;
            // len 62: 187 + 94 + 1 = 282, & 3 = 2.
            assertEquals(3, run(subprogs, "third", packet(64)).returnValue());
            assertEquals(1, run(subprogs, "third", packet(60)).returnValue());
            assertEquals(0, run(subprogs, "third", packet(61)).returnValue());
            assertEquals(2, run(subprogs, "third", packet(62)).returnValue());
        }
    }

    @Test
    void anXdpContextChoosesTheInterfaceAndQueue() {
        try (Collection subprogs = KernelTests.backend().load(FixtureObjects.load("subprogs.v3.o"))) {
            // struct xdp_md { data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex }: the
            // kernel takes data_end as the packet's length and checks the interface (1: loopback) and queue.
            byte[] xdpMd = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(0).putInt(64).putInt(0).putInt(1).putInt(0).putInt(0).array();
            TestRunResult result = subprogs.program("first").testRun(TestRun.of(packet(64)).ctx(xdpMd));
            assertEquals(XDP_PASS, result.returnValue());
            assertEquals(24, result.contextOut().length);
        }
    }

    @Test
    void globalDataIsUpdatedByEveryRun() {
        CollectionSpec spec = FixtureObjects.load("globals.v3.o");
        try (Collection globals = KernelTests.backend().load(spec)) {
            // len 64 <= max_len 1500: custom_counter += limits[64 & 3] + custom_const = 1 + 7; returns XDP_PASS.
            TestRunResult pass = run(globals, "account", packet(64));
            assertEquals(XDP_PASS, pass.returnValue());
            assertArrayEquals(packet(64), pass.dataOut(), "the program does not touch the packet");
            assertTrue(pass.nanosPerRun() >= 0);
            assertEquals(2, readGlobal(globals, ".data", "packets", 8), "packets = 1 + 1");
            assertEquals(42 + 1 + 7, readGlobal(globals, ".data.custom", "custom_counter", 8));
            assertEquals(5 ^ 64, readGlobal(globals, ".data", "hidden_state", 4));
            // histogram = {1, 2, 3, 0, ...}: len & 7 = 0, so histogram[0] 1 -> 2.
            assertEquals(2, readGlobalAt(globals, ".data", "histogram", 0, 4));

            // len 1600 > max_len: drops++, zeroed.b += 1600; returns XDP_DROP.
            assertEquals(XDP_DROP, run(globals, "account", packet(1600)).returnValue());
            assertEquals(1, readGlobal(globals, ".bss", "drops", 8));
            // struct { __u32 a; __u64 b; }: b at offset 8.
            assertEquals(1600, readGlobalAt(globals, ".bss", "zeroed", 8, 8));
            assertEquals(5 ^ 64 ^ 1600, readGlobal(globals, ".data", "hidden_state", 4));

            // repeat runs the program that many times: packets grows by 10 (2 + 1 + 10 = 13).
            globals.program("account").testRun(TestRun.of(packet(64)).repeat(10));
            assertEquals(13, readGlobal(globals, ".data", "packets", 8));
        }
    }

    private static TestRunResult run(Collection collection, String program, byte[] data) {
        return collection.program(program).testRun(TestRun.of(data));
    }

    /** An Ethernet-sized frame of {@code length} bytes; XDP programs here read only its length. */
    private static byte[] packet(int length) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static long readGlobal(Collection loaded, String section, String variable, int size) {
        return readGlobalAt(loaded, section, variable, 0, size);
    }

    /** {@code size} bytes at {@code offset} into {@code variable} of the global data map {@code section}. */
    private static long readGlobalAt(Collection loaded, String section, String variable, int offset, int size) {
        byte[] value = loaded.map(section).lookup(new byte[4]).orElseThrow();
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        int at = symbolOffset(section, variable) + offset;
        return size == 8 ? b.getLong(at) : Integer.toUnsignedLong(b.getInt(at));
    }

    /**
     * Where the object places {@code variable} in {@code section}, from llvm-readelf's symbol listing committed
     * beside the fixture (the object's BTF DATASEC offsets are 0 until a loader fixes them up, as libbpf does).
     */
    private static int symbolOffset(String section, String variable) {
        try {
            for (String line : Files.readAllLines(SYMBOLS)) {
                String[] f = line.split("\t");
                if (f[0].equals(section) && f[2].equals(variable)) {
                    return Integer.parseInt(f[1], 16);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError(SYMBOLS + " has no " + section + " " + variable);
    }
}
