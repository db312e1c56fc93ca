package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.context.XdpAction;
import org.junit.jupiter.api.Test;

/**
 * Loading and test-running fixture programs on the JVM backend, with the values the kernel gives for them
 * (linux's TestRunTest computes the same ones by hand from the C sources).
 */
class JvmBackendTest {
    private static final LoadOptions UNVERIFIED = LoadOptions.defaults().unverified();
    private final List<String> trace = new ArrayList<>();
    private final JvmBackend backend = new JvmBackend().withEngine(engine()).withCpus(2).withTraceSink(trace::add);

    /** The engine these programs run on; {@link OnTheJit} runs every case again on the JIT. */
    Engine engine() {
        return Engine.INTERPRETER;
    }

    /** The same fixture programs (maps, helpers, XDP and skb test runs), compiled by the JIT. */
    static final class OnTheJit extends JvmBackendTest {
        @Override
        Engine engine() {
            return Engine.JIT;
        }
    }

    @Test
    void subprogramChainsComputeWhatTheCSays() {
        try (Collection c = backend.load(Fixtures.load("subprogs.v3.o"), UNVERIFIED)) {
            assertEquals(XdpAction.PASS.value(), run(c, "first", Fixtures.packet(64)).returnValue());
            assertEquals(XdpAction.TX.value(), run(c, "second", Fixtures.packet(64)).returnValue());
            // third reads data_end - data: the ctx rewrite's pointers, subtracted.
            assertEquals(3, run(c, "third", Fixtures.packet(64)).returnValue());
            assertEquals(1, run(c, "third", Fixtures.packet(60)).returnValue());
            assertEquals(0, run(c, "third", Fixtures.packet(61)).returnValue());
            assertEquals(2, run(c, "third", Fixtures.packet(62)).returnValue());
        }
    }

    @Test
    void anXdpContextComesBackWithDataAndDataEnd() {
        try (Collection c = backend.load(Fixtures.load("subprogs.v3.o"), UNVERIFIED)) {
            byte[] md = xdpMd(0, 64, 0, 1, 0, 0);
            TestRunResult r = c.program("first").testRun(TestRun.of(Fixtures.packet(64)).ctx(md));
            assertEquals(XdpAction.PASS.value(), r.returnValue());
            assertArrayEquals(md, r.contextOut());
            // 8 bytes of metadata: data 8, the packet after it; data out holds both.
            TestRunResult meta = c.program("third").testRun(TestRun.of(Fixtures.packet(72)).ctx(xdpMd(8, 72, 0, 1, 0, 0)));
            assertEquals(3, meta.returnValue(), "the program sees 64 bytes of packet");
            assertArrayEquals(Fixtures.packet(72), meta.dataOut());
            assertArrayEquals(xdpMd(8, 72, 0, 1, 0, 0), meta.contextOut());
        }
    }

    @Test
    void badXdpContextsFailAsTheKernelFailsThem() {
        try (Collection c = backend.load(Fixtures.load("subprogs.v3.o"), UNVERIFIED)) {
            var first = c.program("first");
            assertEquals(Errno.EINVAL, errno(() -> first.testRun(TestRun.of(Fixtures.packet(64))
                    .ctx(xdpMd(0, 64, 4, 1, 0, 0)))), "data_meta must be 0");
            assertEquals(Errno.EINVAL, errno(() -> first.testRun(TestRun.of(Fixtures.packet(64))
                    .ctx(xdpMd(0, 64, 0, 1, 0, 7)))), "egress_ifindex must be 0");
            assertEquals(Errno.ENODEV, errno(() -> first.testRun(TestRun.of(Fixtures.packet(64))
                    .ctx(xdpMd(0, 64, 0, 99, 0, 0)))));
            assertEquals(Errno.EINVAL, errno(() -> first.testRun(TestRun.of(Fixtures.packet(13)))),
                    "shorter than an Ethernet header");
            assertEquals(Errno.E2BIG, errno(() -> first.testRun(TestRun.of(Fixtures.packet(64))
                    .ctx(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))));
        }
    }

    @Test
    void globalDataIsUpdatedByEveryRun() {
        try (Collection c = backend.load(Fixtures.load("globals.v3.o"), UNVERIFIED)) {
            TestRunResult pass = run(c, "account", Fixtures.packet(64));
            assertEquals(XdpAction.PASS.value(), pass.returnValue());
            assertArrayEquals(Fixtures.packet(64), pass.dataOut());
            assertTrue(pass.nanosPerRun() >= 0);
            assertEquals(XdpAction.DROP.value(), run(c, "account", Fixtures.packet(1600)).returnValue());
            c.program("account").testRun(TestRun.of(Fixtures.packet(64)).repeat(10));
        }
    }

    @Test
    void theSwapProgramRewritesItsHeaderThroughPacketPointers() {
        try (Collection c = backend.load(Fixtures.load("bytes.v3.o"), UNVERIFIED)) {
            byte[] packet = Fixtures.packet(32);
            packet[0] = 0x08;
            packet[1] = 0x00;
            TestRunResult r = run(c, "swap", packet);
            assertTrue(r.returnValue() <= 3);
            assertEquals(packet.length, r.dataOut().length);
            assertTrue(!java.util.Arrays.equals(packet, r.dataOut()), "seq and len are rewritten");
        }
    }

    @Test
    void aLegacySocketFilterReadsFromTheNetworkHeader() {
        try (Collection c = backend.load(Fixtures.load("legacy.v3.o"), UNVERIFIED)) {
            // The kernel pulls the Ethernet header before a socket filter runs, so the C's offsets (written for
            // an Ethernet frame) land 14 bytes further: place what it looks for there.
            byte[] frame = new byte[14 + 42];
            int net = 14;
            frame[net + 12] = 0x08; // load_half(12) == 0x0800
            frame[net + 23] = 6; // load_byte(23) == 6
            frame[net + 14] = 0x45; // ihl = (load_byte(14) & 0xf) << 2 = 20
            frame[net + 37] = 80; // load_half(14 + 20 + 2) == 80
            frame[net + 41] = 1; // load_word(14 + 20 + 4) != 0
            TestRunResult r = run(c, "filter", frame);
            assertEquals(0xffff_ffffL, r.returnValue(), "-1: accept the whole packet");
            assertEquals(0, run(c, "filter", java.util.Arrays.copyOf(frame, 14 + 40)).returnValue(),
                    "LD_ABS past the packet ends the program with 0");
            byte[] zeroedHeader = frame.clone();
            java.util.Arrays.fill(zeroedHeader, 0, 14, (byte) 0);
            assertArrayEquals(zeroedHeader, r.dataOut());
        }
    }

    @Test
    void everyMapOfBtfMapsLoadsWithItsSlotsFilled() {
        try (Collection c = backend.load(Fixtures.load("btf_maps.v3.o"), UNVERIFIED)) {
            assertEquals(List.of(0, 2), filledSlots(c.map("jump_table")), "prog array values = { [0], [2] }");
            assertEquals(List.of(0, 2), filledSlots(c.map("outer_array")), "array of maps values = { [0], [2] }");
            assertEquals(List.of(), c.map("outer_hash").keys());
        }
    }

    private static List<Integer> filledSlots(org.ebpf4j.api.BpfMap map) {
        List<Integer> filled = new ArrayList<>();
        for (byte[] key : map.keys()) {
            if (map.lookup(key).isPresent()) {
                filled.add(java.nio.ByteBuffer.wrap(key).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
            }
        }
        return filled;
    }

    @Test
    void aCollectionOfMapsAloneLoadsWithTheDefaults() {
        var spec = Fixtures.load("maps.v3.o");
        var mapsOnly = new org.ebpf4j.spec.CollectionSpec(spec.name(), java.util.Map.of(), spec.maps(), List.of(),
                spec.btf(), spec.byteOrder());
        try (Collection c = backend.load(mapsOnly)) {
            assertEquals(spec.maps().keySet(), c.maps().keySet());
        }
    }

    @Test
    void aFaultNamesTheProgramAndTheInstruction() {
        // r0 = *(u32 *)(data + 64) on a 64-byte packet: past data_end, which the kernel's verifier would refuse.
        var code = new org.ebpf4j.isa.ProgramBuilder()
                .ldx(org.ebpf4j.isa.Size.W, org.ebpf4j.isa.Register.R2, org.ebpf4j.isa.Register.R1, 0)
                .ldx(org.ebpf4j.isa.Size.W, org.ebpf4j.isa.Register.R0, org.ebpf4j.isa.Register.R2, 64)
                .exit().build();
        var program = new org.ebpf4j.spec.ProgramSpec("overread", "xdp", org.ebpf4j.spec.ProgramType.XDP,
                java.util.Optional.empty(), new org.ebpf4j.spec.AttachTarget.None(), 0, "GPL", 0, code, List.of(),
                List.of(), List.of(), List.of());
        var spec = new org.ebpf4j.spec.CollectionSpec("overread", java.util.Map.of("overread", program),
                java.util.Map.of(), List.of(), java.util.Optional.empty(), java.nio.ByteOrder.LITTLE_ENDIAN);
        try (Collection c = backend.load(spec, UNVERIFIED)) {
            var fault = assertThrows(org.ebpf4j.runtime.ProgramFault.class,
                    () -> c.program("overread").testRun(TestRun.of(Fixtures.packet(64))));
            assertEquals(1, fault.index());
            assertTrue(fault.getMessage().startsWith("program 'overread' stopped at insn 1: read of 4 bytes"),
                    fault.getMessage());
        }
    }

    @Test
    void coreRelocationsAreRefusedClearly() {
        BpfException e = assertThrows(BpfException.class, () -> backend.load(Fixtures.load("core.v3.o"), UNVERIFIED));
        assertTrue(e.getMessage().contains("CO-RE"), e.getMessage());
    }

    @Test
    void tracePrintkGoesToTheSink() {
        try (Collection c = backend.load(Fixtures.load("globals.v3.o"), UNVERIFIED.withKconfig(
                java.util.Map.of("CONFIG_HZ", 250L, "CONFIG_BPF_SYSCALL", 1L)))) {
            // A tracepoint program has no test run (nor in the kernel): run it directly, without a context.
            JvmProgram report = (JvmProgram) c.program("report");
            assertEquals(0, report.executable().run(new org.ebpf4j.runtime.Invocation(), 0, 0, 0, 0, 0));
            assertEquals(List.of("kernel " + JvmKconfig.FOLLOWED_KERNEL + " hz 250\n", "drops 0\n"), trace);
        }
    }

    private static TestRunResult run(Collection c, String program, byte[] data) {
        return c.program(program).testRun(TestRun.of(data));
    }

    private static Errno errno(Runnable r) {
        return assertThrows(TestRunException.class, r::run).errno();
    }

    static byte[] xdpMd(int data, int dataEnd, int dataMeta, int ingress, int queue, int egress) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(data).putInt(dataEnd).putInt(dataMeta)
                .putInt(ingress).putInt(queue).putInt(egress).array();
    }
}
