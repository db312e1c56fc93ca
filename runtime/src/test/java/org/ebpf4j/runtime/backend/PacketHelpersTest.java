package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.spec.Errno;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * XDP head and tail moves of fixtures/src/packet_helpers.c worked out from the kernel's rules, so that they are held
 * without a kernel too (HelperDifferentialTest compares every program with the kernel where bpf() works).
 */
class PacketHelpersTest {
    private static final long EINVAL = -Errno.EINVAL.value();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theHeadMovesWithinTheHeadroom(Engine engine) {
        try (Collection c = load(engine)) {
            TestRunResult r = c.program("xdp_head").testRun(TestRun.of(Fixtures.packet(64)));
            // -20: 0; +34: 0; -300 (into the xdp_frame): EINVAL; +4000 (past data_end - ETH_HLEN): EINVAL;
            // 50 bytes left; -196 to 40 bytes past the xdp_frame: 0; -1 more: 0.
            assertArrayEquals(new long[] {0, 0, EINVAL, EINVAL, 50, 0, 0}, results(c, 7));
            byte[] expected = new byte[163 + 20 + 64];
            Arrays.fill(expected, 163, 183, (byte) 0xab);
            System.arraycopy(Fixtures.packet(64), 0, expected, 183, 64);
            assertArrayEquals(expected, r.dataOut(), "zeroed headroom, the 20 bytes written, the packet");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFragmentedFrameMovesItsLastFragment(Engine engine) {
        try (Collection c = load(engine)) {
            // 5000 bytes: 3520 linear, one fragment of 1480.
            TestRunResult r = c.program("xdp_tail").testRun(TestRun.of(Fixtures.packet(5000)));
            // -4 and +100: the fragment; the linear part stays 3520; +4000 exceeds the fragment's page; -100000 all
            // but an Ethernet header; -20: 0.
            assertArrayEquals(new long[] {0, 0, 3520, EINVAL, EINVAL, 0, 3520}, results(c, 7));
            byte[] out = r.dataOut();
            assertEquals(3520 + 1480 - 4 + 100 - 20, out.length);
            byte[] expected = Arrays.copyOf(Fixtures.packet(5000), 4996);
            expected[3517] = (byte) 0xa5; // written at the end of the linear part
            expected[3519] = 0x5a;
            assertArrayEquals(expected, Arrays.copyOf(out, 4996));
            assertArrayEquals(new byte[out.length - 4996], Arrays.copyOfRange(out, 4996, out.length),
                    "grown bytes are zero");
        }
    }

    private static Collection load(Engine engine) {
        return new JvmBackend().withEngine(engine).load(Fixtures.load("packet_helpers.v3.o"),
                LoadOptions.defaults().unverified());
    }

    /** The first {@code n} of results[] (the program's .bss). */
    private static long[] results(Collection c, int n) {
        ByteBuffer bss = ByteBuffer.wrap(c.map(".bss").lookup(new byte[4]).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = bss.getLong();
        }
        return r;
    }
}
