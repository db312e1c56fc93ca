package org.ebpf4j.api.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.ebpf4j.btf.Btf;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.elf.ObjectLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Record layouts against the layouts clang gave the same structs, read from the fixture's BTF. */
class RecordCodecTest {
    record Flow(int saddr, short sport, byte proto, long bytes) {}

    record Sample(byte kind, long ts, short cpu, @CArray(16) String comm, @CArray(3) int[] pids, Flow flow,
            boolean seen, double ratio, byte delta) {}

    record Point(short x, short y) {}

    record RenamedFlow(int sourceAddress, short sport, byte proto, long bytes) {}

    record ShortFlow(int saddr, short sport, long bytes) {}

    record WideFlow(long saddr, short sport, byte proto, long bytes) {}

    record Unsized(int[] values) {}

    record Listy(List<Integer> values) {}

    static Btf btf(String object) throws IOException {
        return ObjectLoader.load(Path.of("..", "fixtures", "obj", object)).btf().orElseThrow();
    }

    static int struct(Btf btf, String name) {
        return btf.typeId(name, BtfKind.STRUCT).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"layouts.v1.o", "layouts.v3.o"})
    void recordsHaveClangsLayout(String object) throws IOException {
        Btf btf = btf(object);
        Codecs.record(Flow.class).checkAgainst(btf, struct(btf, "flow"));
        Codecs.record(Sample.class).checkAgainst(btf, struct(btf, "sample"));
        Codecs.record(Point.class).checkAgainst(btf, struct(btf, "point"));
        assertEquals(btf.sizeOf(struct(btf, "sample")), Codecs.record(Sample.class).size());
    }

    @Test
    void offsetsFollowNaturalAlignment() {
        RecordCodec<Sample> sample = Codecs.record(Sample.class);
        assertEquals(List.of(0, 8, 16, 18, 36, 48, 64, 72, 80),
                sample.members().stream().map(RecordCodec.Member::offset).toList());
        assertEquals(88, sample.size());
        assertEquals(8, sample.alignment());
        assertEquals(4, Codecs.record(Point.class).size());
        assertEquals(2, Codecs.record(Point.class).alignment());
    }

    @Test
    void encodesLittleEndianWithZeroPadding() {
        byte[] bytes = Codecs.record(Flow.class).encode(new Flow(0x0a000001, (short) 4242, (byte) 17, 1500));
        assertEquals("01 00 00 0a 92 10 11 00 dc 05 00 00 00 00 00 00",
                HexFormat.ofDelimiter(" ").formatHex(bytes));
    }

    @Test
    void roundTripsEveryComponentKind() {
        RecordCodec<Sample> codec = Codecs.record(Sample.class);
        Sample sample = new Sample((byte) 7, 0x1122334455667788L, (short) 3, "layouts", new int[] {10, 20, 30},
                new Flow(-1, (short) -2, (byte) -3, Long.MIN_VALUE), true, 0.25, (byte) -5);
        Sample back = codec.decode(codec.encode(sample));
        assertEquals(sample.kind(), back.kind());
        assertEquals(sample.ts(), back.ts());
        assertEquals(sample.comm(), back.comm());
        assertArrayEquals(sample.pids(), back.pids());
        assertEquals(sample.flow(), back.flow());
        assertEquals(sample.seen(), back.seen());
        assertEquals(sample.ratio(), back.ratio());
        assertEquals(sample.delta(), back.delta());
    }

    @Test
    void mismatchesNameTheMemberAndOffsets() throws IOException {
        Btf btf = btf("layouts.v3.o");
        int flow = struct(btf, "flow");
        assertTrue(message(() -> Codecs.record(RenamedFlow.class).checkAgainst(btf, flow))
                .contains("struct RenamedFlow.sourceAddress: the struct's member 1 is 'saddr'"));
        assertTrue(message(() -> Codecs.record(ShortFlow.class).checkAgainst(btf, flow))
                .matches("struct ShortFlow has 3 components, type \\d+ \\(STRUCT 'flow'\\) has 4 members"));
        String wide = message(() -> Codecs.record(WideFlow.class).checkAgainst(btf, flow));
        assertTrue(wide.contains("struct WideFlow is 24 bytes"), wide);
        String notStruct = message(() -> Codecs.record(Point.class).checkAgainst(btf, btf.typeId("__u32",
                BtfKind.TYPEDEF).orElseThrow()));
        assertTrue(notStruct.contains("struct Point is struct Point but the C type is"), notStruct);
    }

    @Test
    void componentsWithoutLayoutAreRefusedByName() {
        assertEquals("record Unsized component 'values': int[] needs @CArray(length) to have a C layout",
                message(() -> Codecs.record(Unsized.class)));
        assertTrue(message(() -> Codecs.record(Listy.class)).startsWith(
                "record Listy component 'values': java.util.List has no C layout"));
    }

    @Test
    void wrongLengthsAndNullsAreRefused() {
        RecordCodec<Sample> codec = Codecs.record(Sample.class);
        Sample shortPids = new Sample((byte) 0, 0, (short) 0, "", new int[2], new Flow(0, (short) 0, (byte) 0, 0),
                false, 0, (byte) 0);
        assertEquals("__u32[3] needs 3 elements, got 2", message(() -> codec.encode(shortPids)));
        Sample longComm = new Sample((byte) 0, 0, (short) 0, "a name longer than sixteen", new int[3], null, false,
                0, (byte) 0);
        assertTrue(message(() -> codec.encode(longComm)).contains("more than char[16] holds"));
        Sample noFlow = new Sample((byte) 0, 0, (short) 0, "", new int[3], null, false, 0, (byte) 0);
        assertEquals("Sample.flow is null: a C struct member always has a value",
                message(() -> codec.encode(noFlow)));
        assertEquals("expected 16 bytes for struct Flow, got 15",
                message(() -> Codecs.record(Flow.class).decode(new byte[15])));
    }

    @Test
    void stringsStopAtTheFirstNulAndMayFillTheArray() {
        Codec<String> comm = Codecs.string(4);
        assertEquals("ab", comm.decode(new byte[] {'a', 'b', 0, 'z'}));
        assertEquals("abcd", comm.decode(comm.encode("abcd")));
        assertArrayEquals(new byte[] {'a', 0, 0, 0}, comm.encode("a"));
    }

    private static String message(Runnable action) {
        return assertThrows(IllegalArgumentException.class, action::run).getMessage();
    }
}
