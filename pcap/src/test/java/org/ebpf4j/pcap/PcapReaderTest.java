package org.ebpf4j.pcap;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made pcap files in both byte orders and both timestamp units, and broken ones. */
class PcapReaderTest {
    private static final byte[] FRAME_A = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00, 0x45};
    private static final byte[] FRAME_B = {(byte) 0xff, (byte) 0xfe};

    /** A file header and two records: FRAME_A at 1.5 s (captured whole), FRAME_B at 2 s (of 60 bytes). */
    static byte[] file(ByteOrder order, int magic, int linkTypeField, boolean nanos) {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + FRAME_A.length + 16 + FRAME_B.length).order(order);
        b.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkTypeField);
        b.putInt(1).putInt(nanos ? 500_000_000 : 500_000).putInt(FRAME_A.length).putInt(FRAME_A.length).put(FRAME_A);
        b.putInt(2).putInt(7).putInt(FRAME_B.length).putInt(60).put(FRAME_B);
        return b.array();
    }

    @Test
    void readsLittleEndianMicrosecondFiles() {
        Capture c = Capture.parse("a.pcap", file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1, false));
        assertEquals(CaptureFormat.PCAP, c.format());
        List<CapturedPacket> p = c.packets();
        assertEquals(2, p.size());
        assertEquals(1, p.get(0).number());
        assertEquals(24, p.get(0).offset());
        assertEquals(LinkType.ETHERNET, p.get(0).linkType());
        assertEquals(1_500_000_000L, p.get(0).timestampNanos());
        assertArrayEquals(FRAME_A, p.get(0).data());
        assertEquals(2, p.get(1).number());
        assertEquals(24 + 16 + FRAME_A.length, p.get(1).offset());
        assertEquals(2_000_007_000L, p.get(1).timestampNanos());
        assertEquals(60, p.get(1).originalLength());
        assertArrayEquals(FRAME_B, p.get(1).data());
    }

    @Test
    void readsBigEndianNanosecondFilesAndMasksTheFcsBitsOfTheLinkType() {
        // 0x10000000 | 1: an FCS length of 0 with the "F" bit pattern of the draft's upper bits set, Ethernet.
        Capture c = Capture.parse("b.pcap", file(ByteOrder.BIG_ENDIAN, 0xa1b23c4d, 0x1000_0001, true));
        assertEquals(1_500_000_000L, c.packets().get(0).timestampNanos());
        assertEquals(2_000_000_007L, c.packets().get(1).timestampNanos());
        assertEquals(LinkType.ETHERNET, c.packets().get(1).linkType());
        assertArrayEquals(FRAME_A, c.packets().get(0).data());
    }

    @Test
    void anEmptyCaptureHasNoPackets() {
        byte[] header = Arrays.copyOf(file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1, false), 24);
        assertEquals(List.of(), Capture.parse("e.pcap", header).packets());
    }

    @Test
    void brokenFilesNameTheOffsetAndTheRecord() {
        byte[] good = file(ByteOrder.LITTLE_ENDIAN, 0xa1b2c3d4, 1, false);
        assertError(Arrays.copyOf(good, 20), "t.pcap: offset 0 (0x0), pcap file header: truncated: 20 of 24 bytes");
        assertError(Arrays.copyOf(good, 24 + 16 + FRAME_A.length + 9),
                "t.pcap: offset 55 (0x37), record header of packet 2: truncated: 9 of 16 bytes");
        assertError(Arrays.copyOf(good, 24 + 16 + FRAME_A.length + 16 + 1),
                "t.pcap: offset 55 (0x37), record of packet 2: captured length 2 but only 1 bytes follow the record"
                        + " header");
        byte[] version = good.clone();
        version[4] = 3;
        assertError(version, "t.pcap: offset 4 (0x4), pcap file header: version 3.4 is not 2.x");
        assertError(new byte[] {1, 2, 3, 4, 5}, "t.pcap: offset 0 (0x0), file header: not a pcap or pcapng file: it"
                + " starts with 01 02 03 04");
        assertError(new byte[] {1, 2}, "t.pcap: offset 0 (0x0), file header: the file has 2 bytes; a pcap or pcapng"
                + " file starts with a 4-byte magic number");
    }

    private static void assertError(byte[] file, String message) {
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> Capture.parse("t.pcap", file));
        assertEquals(message, e.getMessage());
    }
}
