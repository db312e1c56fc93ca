package org.ebpf4j.btf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole raw dumps of the fixtures, line for line against bpftool's, in both byte orders. */
class BtfDumpTest {
    static Stream<Arguments> fixtures() {
        return Stream.of(Fixtures.SOURCES)
                .flatMap(name -> Stream.of(Fixtures.ORDERS).map(order -> Arguments.of(name, order)));
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("fixtures")
    void dumpMatchesBpftool(String name, String order) {
        Btf btf = Fixtures.btf(name, order);
        assertEquals(order.equals("el") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN, btf.order());
        assertLinesEqual(Fixtures.text("expected/" + name + ".btf.txt"), BtfDump.raw(btf));
    }

    /** Compares line by line so that a failure names the first differing line rather than two whole dumps. */
    static void assertLinesEqual(String expected, String actual) {
        String[] want = expected.split("\n", -1);
        String[] got = actual.split("\n", -1);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            assertEquals(want[i], got[i], "line " + (i + 1));
        }
        assertEquals(want.length, got.length, "line count");
    }
}
