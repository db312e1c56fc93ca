package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.differential.BothBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The helper fixtures (fixtures/src/*_helpers.c) run in the kernel and on both JVM engines over the same inputs:
 * return values, data and context out, and the results each program records in its maps must be equal. Skipped
 * where {@code bpf()} is not permitted.
 */
class HelperDifferentialTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();

    static List<Arguments> cases() {
        List<TestRun> xdp = List.of(TestRun.of(Fixtures.packet(64)), TestRun.of(Fixtures.packet(60)),
                TestRun.of(Fixtures.packet(14)), TestRun.of(Fixtures.packet(35)), TestRun.of(Fixtures.packet(100)),
                TestRun.of(Fixtures.packet(1600)), TestRun.of(Fixtures.packet(3520)),
                TestRun.of(Fixtures.packet(5000)), TestRun.of(Fixtures.packet(9000)),
                TestRun.of(Fixtures.packet(64)).repeat(3),
                TestRun.of(Fixtures.packet(72)).ctx(JvmBackendTest.xdpMd(8, 72, 0, 1, 0, 0)),
                TestRun.of(Fixtures.packet(400)).ctx(JvmBackendTest.xdpMd(200, 400, 0, 1, 0, 0)),
                TestRun.of(Fixtures.packet(5000)).ctx(JvmBackendTest.xdpMd(16, 3000, 0, 1, 0, 0)));
        List<TestRun> skb = new ArrayList<>(List.of(TestRun.of(Fixtures.packet(64)), TestRun.of(Fixtures.packet(14)),
                TestRun.of(Fixtures.packet(21)), TestRun.of(Fixtures.packet(1500))));
        for (int seed = 0; seed < 6; seed++) {
            skb.add(TestRun.of(udp(seed)));
        }
        List<Arguments> cases = new ArrayList<>();
        for (Engine engine : Engine.values()) {
            for (String program : List.of("xdp_head", "xdp_meta", "xdp_tail", "xdp_redirect", "xdp_csum")) {
                cases.add(Arguments.of("packet_helpers.v3.o", program, xdp, engine));
            }
            for (String program : List.of("tc_bytes", "tc_csum", "sf_load")) {
                cases.add(Arguments.of("packet_helpers.v3.o", program, skb, engine));
            }
            for (String program : List.of("formats", "printk_rules", "strings", "probes")) {
                cases.add(Arguments.of("string_helpers.v3.o", program, List.of(TestRun.of(Fixtures.packet(64))),
                        engine));
            }

        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {3}")
    @MethodSource("cases")
    void jvmAndKernelAgree(String object, String program, List<TestRun> runs, Engine engine) {
        assumeTrue(kernel != null, skipReason);
        for (TestRun run : runs) {
            // A fresh collection per run: results[] then holds this run's values only.
            try (Collection onKernel = kernel.load(Fixtures.load(object));
                 Collection onJvm = new JvmBackend().withEngine(engine)
                         .load(Fixtures.load(object), LoadOptions.defaults().unverified())) {
                String what = program + " on " + run.data().length + " bytes";
                TestRunResult expected = onKernel.program(program).testRun(run);
                TestRunResult actual = onJvm.program(program).testRun(run);
                assertSameMaps(contents(onKernel), contents(onJvm), what);
                assertEquals(expected.returnValue(), actual.returnValue(), what + ": return value");
                assertEquals(HexFormat.of().formatHex(expected.dataOut()), HexFormat.of().formatHex(actual.dataOut()),
                        what + ": data out");
                assertArrayEquals(expected.contextOut(), actual.contextOut(), what + ": context out");
            }
        }
    }

    /** Equal maps, or a failure that shows the first differing bytes of each value. */
    static void assertSameMaps(Map<String, Map<String, String>> expected, Map<String, Map<String, String>> actual,
                               String what) {
        assertEquals(expected.keySet(), actual.keySet(), what + ": maps");
        for (String map : expected.keySet()) {
            assertEquals(expected.get(map).keySet(), actual.get(map).keySet(), what + ": keys of " + map);
            for (String key : expected.get(map).keySet()) {
                String e = expected.get(map).get(key);
                String a = actual.get(map).get(key);
                if (!e.equals(a)) {
                    int at = 0;
                    while (at < Math.min(e.length(), a.length()) && e.charAt(at) == a.charAt(at)) {
                        at++;
                    }
                    int from = Math.max(0, at - 16) & ~1;
                    assertEquals(e.substring(from, Math.min(e.length(), at + 48)),
                            a.substring(from, Math.min(a.length(), at + 48)),
                            what + ": " + map + "[" + key + "] differs at byte " + at / 2);
                }
            }
        }
    }

    /** Every map as sorted hex key -> hex value. */
    static Map<String, Map<String, String>> contents(Collection c) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (BpfMap map : c.maps().values()) {
            Map<String, String> entries = new TreeMap<>();
            for (byte[] key : map.keys()) {
                entries.put(hex.formatHex(key), map.lookup(key).map(hex::formatHex).orElse("(gone)"));
            }
            all.put(map.name(), entries);
        }
        return all;
    }

    /** An Ethernet/IPv4/UDP frame with correct checksums, varied by {@code seed} (seed 3: UDP checksum 0). */
    static byte[] udp(int seed) {
        byte[] p = new byte[14 + 20 + 8 + 18];
        p[12] = 0x08;
        for (int i = 0; i < 6; i++) {
            p[i] = (byte) (i + 1);
            p[6 + i] = (byte) (0x10 + i + seed);
        }
        int ip = 14;
        p[ip] = 0x45;
        p[ip + 3] = (byte) (p.length - 14);
        p[ip + 8] = 64;
        p[ip + 9] = 17;
        for (int i = 0; i < 8; i++) {
            p[ip + 12 + i] = (byte) (seed * 31 + i * 17 + 1);
        }
        for (int i = 0; i < 18; i++) {
            p[42 + i] = (byte) (seed * 7 + i);
        }
        int udp = ip + 20;
        p[udp] = (byte) seed;
        p[udp + 1] = 53;
        p[udp + 3] = 80;
        p[udp + 5] = (byte) (p.length - udp);
        int ipSum = ~sum(p, ip, 20, 0) & 0xffff;
        p[ip + 10] = (byte) (ipSum >> 8);
        p[ip + 11] = (byte) ipSum;
        if (seed != 3) {
            int pseudo = sum(p, ip + 12, 8, 17 + (p.length - udp));
            int udpSum = ~sum(p, udp, p.length - udp, pseudo) & 0xffff;
            p[udp + 6] = (byte) (udpSum >> 8);
            p[udp + 7] = (byte) udpSum;
        }
        return p;
    }

    /** The ones' complement sum of big-endian 16-bit words, folded. */
    private static int sum(byte[] p, int from, int length, int seed) {
        long s = seed;
        for (int i = 0; i < length; i += 2) {
            s += (p[from + i] & 0xff) << 8 | (i + 1 < length ? p[from + i + 1] & 0xff : 0);
        }
        while ((s >> 16) != 0) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) s;
    }
}
