package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.differential.BothBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fixture programs run on the JVM backend and in the kernel on the same packets: return values, packets out,
 * contexts out and every map's contents after the runs must be equal. Skipped where {@code bpf()} is not permitted.
 */
class KernelDifferentialTest {
    /** The same externs on both sides, so that {@code .kconfig} holds the same bytes. */
    private static final Map<String, Long> KCONFIG = Map.of("LINUX_KERNEL_VERSION", JvmKconfig.FOLLOWED_KERNEL,
            "CONFIG_HZ", 250L, "CONFIG_BPF_SYSCALL", 1L);
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    /** Objects ebpf4j's verifier cannot prove yet (legacy: LD_ABS/LD_IND); every other one runs verified. */
    private static final Set<String> UNPROVEN = Set.of("legacy.v3.o");
    private static final String skipReason = BothBackends.skipReason();

    static List<Arguments> cases() {
        List<TestRun> sizes = List.of(TestRun.of(Fixtures.packet(64)), TestRun.of(Fixtures.packet(60)),
                TestRun.of(Fixtures.packet(61)), TestRun.of(Fixtures.packet(62)), TestRun.of(Fixtures.packet(14)),
                TestRun.of(Fixtures.packet(1600)), TestRun.of(Fixtures.packet(64)).repeat(5),
                TestRun.of(Fixtures.packet(72)).ctx(JvmBackendTest.xdpMd(8, 72, 0, 1, 0, 0)));
        List<TestRun> headers = new ArrayList<>(sizes);
        for (int seed = 0; seed < 8; seed++) {
            headers.add(TestRun.of(swapHeader(seed)));
        }
        return List.of(
                Arguments.of("subprogs.v3.o", "first", sizes, true),
                Arguments.of("subprogs.v3.o", "second", sizes, true),
                Arguments.of("subprogs.v3.o", "third", sizes, true),
                Arguments.of("globals.v3.o", "account", sizes, true),
                Arguments.of("bytes.v3.o", "swap", headers, true),
                // loops reads only initialised stack since its fixture was fixed, so both answers are determined.
                Arguments.of("loops.v1.o", "loops", sizes, true),
                Arguments.of("loops.v4.o", "loops", sizes, true),
                // sample bumps a counter under a random key: only return values and packets can agree.
                Arguments.of("maps.v3.o", "sample", sizes, false),
                Arguments.of("legacy.v3.o", "filter", tcpFrames(), true));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void jvmAndKernelAgree(String object, String program, List<TestRun> runs, boolean compareMaps) {
        assumeTrue(kernel != null, skipReason);
        LoadOptions options = LoadOptions.defaults().withKconfig(KCONFIG);
        try (Collection onKernel = kernel.load(Fixtures.load(object), options);
             Collection onJvm = new JvmBackend().load(Fixtures.load(object), jvmOptions(object, options))) {
            for (TestRun run : runs) {
                String what = program + " on " + run.data().length + " bytes";
                TestRunResult expected = onKernel.program(program).testRun(run);
                TestRunResult actual = onJvm.program(program).testRun(run);
                assertEquals(expected.returnValue(), actual.returnValue(), what + ": return value");
                assertArrayEquals(expected.dataOut(), actual.dataOut(), what + ": data out");
                assertArrayEquals(expected.contextOut(), actual.contextOut(), what + ": context out");
            }
            if (compareMaps) {
                assertEquals(BothBackends.contents(onKernel), BothBackends.contents(onJvm), "maps after the runs");
            }
        }
    }

    /** Inputs at the edges of what BPF_PROG_TEST_RUN accepts: both backends accept or refuse them alike. */
    static List<Arguments> edges() {
        byte[] sk = new byte[192];
        sk[0] = 1; // __sk_buff.len cannot be set
        byte[] skWithIfindex = new byte[192];
        skWithIfindex[40] = 9; // no interface 9
        return List.of(
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(3520))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(3521))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(13))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64))
                        .ctx(JvmBackendTest.xdpMd(0, 32, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64))
                        .ctx(JvmBackendTest.xdpMd(0, 64, 0, 0, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64))
                        .ctx(JvmBackendTest.xdpMd(0, 64, 0, 0, 1, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64))
                        .ctx(JvmBackendTest.xdpMd(36, 64, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64))
                        .ctx(JvmBackendTest.xdpMd(6, 64, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64)).ctx(new byte[20])),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(64))
                        .ctx(JvmBackendTest.xdpMd(0, 0, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(252, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(256, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(200, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(208, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(212, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(216, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(220, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(400))
                        .ctx(JvmBackendTest.xdpMd(224, 300, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(5000))
                        .ctx(JvmBackendTest.xdpMd(0, 4000, 0, 1, 0, 0))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(Fixtures.packet(80000))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(Fixtures.packet(3712))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(Fixtures.packet(3713))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(Fixtures.packet(64)).ctx(sk)),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(Fixtures.packet(64)).ctx(skWithIfindex)),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(Fixtures.packet(64)).ctx(new byte[200])),
                // An IPv4 or IPv6 frame must hold its network header (EINVAL otherwise); other EtherTypes need not.
                Arguments.of("legacy.v3.o", "filter", TestRun.of(etherType(33, 0x0800))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(etherType(34, 0x0800))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(etherType(53, 0x86dd))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(etherType(54, 0x86dd))),
                Arguments.of("legacy.v3.o", "filter", TestRun.of(etherType(14, 0x0806))),
                Arguments.of("subprogs.v3.o", "third", TestRun.of(etherType(20, 0x0800))));
    }

    /** The JVM backend verifies as the kernel does, except for what its verifier cannot check yet. */
    private static LoadOptions jvmOptions(String object, LoadOptions options) {
        return UNPROVEN.contains(object) ? options.unverified() : options;
    }

    /** A frame of {@code length} bytes with the given EtherType. */
    private static byte[] etherType(int length, int type) {
        byte[] frame = Fixtures.packet(length);
        frame[12] = (byte) (type >>> 8);
        frame[13] = (byte) type;
        return frame;
    }

    @ParameterizedTest(name = "{0} {1} #{index}")
    @MethodSource("edges")
    void bothAcceptOrBothRefuseWithTheSameErrno(String object, String program, TestRun run) {
        assumeTrue(kernel != null, skipReason);
        LoadOptions options = LoadOptions.defaults().withKconfig(KCONFIG);
        try (Collection onKernel = kernel.load(Fixtures.load(object), options);
             Collection onJvm = new JvmBackend().load(Fixtures.load(object), jvmOptions(object, options))) {
            String expected = BothBackends.outcome(() -> onKernel.program(program).testRun(run));
            String actual = BothBackends.outcome(() -> onJvm.program(program).testRun(run));
            assertEquals(expected, actual);
        }
    }

    /** A packet for bytes.c's struct hdr { u16 proto; u16 len; u32 seq; u64 stamp; }, varied by {@code seed}. */
    private static byte[] swapHeader(int seed) {
        byte[] p = Fixtures.packet(40);
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (p[i] * (seed * 37 + 11) + seed);
        }
        if (seed % 4 != 3) {
            p[0] = 0x08; // proto 0x0800 in network order
            p[1] = 0x00;
        }
        return p;
    }

    /** Frames for legacy.c's filter, whose offsets start at the network header the kernel shows it. */
    private static List<TestRun> tcpFrames() {
        List<TestRun> runs = new ArrayList<>();
        for (int variant = 0; variant < 6; variant++) {
            byte[] frame = new byte[14 + 60];
            int net = 14;
            frame[net + 12] = 0x08;
            frame[net + 23] = (byte) (variant == 1 ? 17 : 6);
            frame[net + 14] = (byte) (0x45 + (variant == 2 ? 1 : 0));
            frame[net + 14 + 20 + 3 + (variant == 2 ? 4 : 0)] = (byte) (variant == 3 ? 81 : 80);
            frame[net + 14 + 20 + 7 + (variant == 2 ? 4 : 0)] = (byte) (variant == 4 ? 0 : 9);
            runs.add(TestRun.of(variant == 5 ? java.util.Arrays.copyOf(frame, 14 + 30) : frame));
        }
        runs.add(TestRun.of(Fixtures.packet(14)));
        return runs;
    }
}
