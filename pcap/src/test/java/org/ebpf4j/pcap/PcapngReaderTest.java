package org.ebpf4j.pcap;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-made pcapng files: sections in both byte orders, several interfaces and link types, every packet block. */
class PcapngReaderTest {
    private static final byte[] FRAME = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, (byte) 0x86, (byte) 0xdd, 0x60};

    /** Blocks in one byte order. */
    private static final class Blocks {
        final ByteOrder order;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Blocks(ByteOrder order) {
            this.order = order;
        }

        Blocks block(int type, byte[] body) {
            int length = 12 + (body.length + 3 & ~3);
            out.writeBytes(ByteBuffer.allocate(length).order(order).putInt(type).putInt(length).put(body)
                    .putInt(length - 4, length).array());
            return this;
        }

        Blocks section() {
            return block(0x0A0D0D0A, buffer(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
                    .putLong(-1).array());
        }

        /** An interface; {@code tsresol} -1 leaves the option out (microseconds). */
        Blocks iface(int linkType, int snapLength, int tsresol) {
            ByteBuffer b = buffer(tsresol < 0 ? 12 : 20).putShort((short) linkType).putShort((short) 0)
                    .putInt(snapLength);
            if (tsresol >= 0) {
                b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            }
            b.putInt(0); // opt_endofopt
            return block(1, b.array());
        }

        Blocks enhanced(int iface, long ticks, byte[] data, int original) {
            return block(6, buffer(20 + data.length).putInt(iface).putInt((int) (ticks >>> 32)).putInt((int) ticks)
                    .putInt(data.length).putInt(original).put(data).array());
        }

        Blocks simple(int original, byte[] data) {
            return block(3, buffer(4 + data.length).putInt(original).put(data).array());
        }

        ByteBuffer buffer(int size) {
            return ByteBuffer.allocate(size).order(order);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    @Test
    void readsInterfacesLinkTypesResolutionsAndEveryPacketBlock() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            byte[] file = new Blocks(order).section()
                    .iface(LinkType.ETHERNET, 0, -1)
                    .iface(LinkType.RAW, 0, 9)
                    .iface(LinkType.ETHERNET, 0, 0x80 | 10)
                    .block(4, new byte[8]) // a name resolution block: skipped
                    .enhanced(0, 1_500_000L, FRAME, FRAME.length)
                    .enhanced(1, 2_000_000_123L, new byte[] {0x45, 0}, 40)
                    .enhanced(2, 3 * 1024 + 512, FRAME, 100)
                    .block(5, new byte[12]) // interface statistics: skipped
                    .bytes();
            Capture c = Capture.parse("a.pcapng", file);
            assertEquals(CaptureFormat.PCAPNG, c.format());
            List<CapturedPacket> p = c.packets();
            assertEquals(3, p.size(), order.toString());
            assertEquals(0, p.get(0).interfaceId());
            assertEquals(LinkType.ETHERNET, p.get(0).linkType());
            assertEquals(1_500_000_000L, p.get(0).timestampNanos());
            assertArrayEquals(FRAME, p.get(0).data());
            assertEquals(LinkType.RAW, p.get(1).linkType());
            assertEquals(1, p.get(1).interfaceId());
            assertEquals(2_000_000_123L, p.get(1).timestampNanos());
            assertEquals(40, p.get(1).originalLength());
            assertEquals(3, p.get(2).number());
            assertEquals(3_500_000_000L, p.get(2).timestampNanos()); // 3.5 s in 1/1024 s ticks
            assertEquals(100, p.get(2).originalLength());
        }
    }

    @Test
    void simplePacketsTakeInterfaceZeroAndItsSnapLength() {
        byte[] file = new Blocks(ByteOrder.LITTLE_ENDIAN).section().iface(LinkType.ETHERNET, 8, -1)
                .simple(200, Arrays.copyOf(FRAME, 8)).simple(3, FRAME).bytes();
        List<CapturedPacket> p = Capture.parse("s.pcapng", file).packets();
        assertArrayEquals(Arrays.copyOf(FRAME, 8), p.get(0).data());
        assertEquals(200, p.get(0).originalLength());
        assertArrayEquals(Arrays.copyOf(FRAME, 3), p.get(1).data()); // the padding is not data
    }

    @Test
    void obsoletePacketBlocksHaveA16BitInterfaceAndADropCount() {
        byte[] file = new Blocks(ByteOrder.BIG_ENDIAN).section().iface(LinkType.RAW, 0, -1)
                .iface(LinkType.ETHERNET, 0, 3)
                .block(2, new Blocks(ByteOrder.BIG_ENDIAN).buffer(20 + FRAME.length).putShort((short) 1)
                        .putShort((short) 7).putInt(0).putInt(1234).putInt(FRAME.length).putInt(64).put(FRAME).array())
                .bytes();
        CapturedPacket p = Capture.parse("o.pcapng", file).packets().getFirst();
        assertEquals(1, p.interfaceId());
        assertEquals(LinkType.ETHERNET, p.linkType());
        assertEquals(1_234_000_000L, p.timestampNanos()); // milliseconds (if_tsresol 3)
        assertEquals(64, p.originalLength());
        assertArrayEquals(FRAME, p.data());
    }

    @Test
    void aNewSectionHasItsOwnByteOrderAndInterfaces() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new Blocks(ByteOrder.BIG_ENDIAN).section().iface(LinkType.RAW, 0, -1).iface(LinkType.ETHERNET,
                0, -1).enhanced(1, 1, FRAME, FRAME.length).bytes());
        out.writeBytes(new Blocks(ByteOrder.LITTLE_ENDIAN).section().iface(LinkType.LINUX_SLL, 0, -1)
                .enhanced(0, 2, FRAME, FRAME.length).bytes());
        List<CapturedPacket> p = Capture.parse("m.pcapng", out.toByteArray()).packets();
        assertEquals(List.of(LinkType.ETHERNET, LinkType.LINUX_SLL), p.stream().map(CapturedPacket::linkType).toList());

        byte[] stale = new Blocks(ByteOrder.LITTLE_ENDIAN).section().iface(LinkType.ETHERNET, 0, -1).section()
                .enhanced(0, 1, FRAME, FRAME.length).bytes();
        assertError(stale, "offset 80 (0x50), enhanced packet block of packet 1: interface 0 is not described in this"
                + " section (it has 0)");
    }

    @Test
    void brokenBlocksNameTheOffsetAndTheBlock() {
        byte[] good = new Blocks(ByteOrder.LITTLE_ENDIAN).section().iface(LinkType.ETHERNET, 0, -1)
                .enhanced(0, 1, FRAME, FRAME.length).bytes();
        int epb = 28 + 24;
        assertError(Arrays.copyOf(good, good.length - 4), "offset 52 (0x34), enhanced packet block: truncated: its"
                + " total length is 48 but only 44 bytes are left");
        assertError(Arrays.copyOf(good, epb + 5), "offset 52 (0x34), block: truncated: 5 bytes left, a block takes at"
                + " least 12");
        byte[] trailer = good.clone();
        trailer[good.length - 4] = 44;
        assertError(trailer, "offset 52 (0x34), enhanced packet block: total length 48 at its start but 44 at its"
                + " end");
        byte[] odd = good.clone();
        odd[epb + 4] = 47;
        assertError(odd, "offset 52 (0x34), enhanced packet block: total length 47 is not a multiple of 4 of at least"
                + " 12");
        byte[] captured = good.clone();
        captured[epb + 8 + 12] = 30;
        assertError(captured, "offset 52 (0x34), enhanced packet block of packet 1: captured length 30 but the block"
                + " holds 16 bytes of packet data");
        byte[] iface = good.clone();
        iface[epb + 8] = 1;
        assertError(iface, "offset 52 (0x34), enhanced packet block of packet 1: interface 1 is not described in this"
                + " section (it has 1)");
        byte[] magic = good.clone();
        magic[8] = 0;
        assertError(magic, "offset 8 (0x8), section header block: byte-order magic 003c2b1a is neither 1a2b3c4d nor"
                + " 4d3c2b1a");
        byte[] version = good.clone();
        version[12] = 2;
        assertError(version, "offset 12 (0xc), section header block: version 2.0 is not 1.x");
        byte[] option = new Blocks(ByteOrder.LITTLE_ENDIAN).section().block(1, new Blocks(ByteOrder.LITTLE_ENDIAN)
                .buffer(12).putShort((short) 1).putShort((short) 0).putInt(0).putShort((short) 9)
                .putShort((short) 8).array()).bytes();
        assertError(option, "offset 44 (0x2c), interface description block of interface 0: option 9 of 8 bytes runs"
                + " past the block's end");
        byte[] shortBody = new Blocks(ByteOrder.LITTLE_ENDIAN).section().block(1, new byte[4]).bytes();
        assertError(shortBody, "offset 28 (0x1c), interface description block: its body has 4 bytes, too few for the"
                + " link type and snap length (8)");
    }

    private static void assertError(byte[] file, String message) {
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> Capture.parse("t.pcapng", file));
        assertEquals("t.pcapng: " + message, e.getMessage().replace("m.pcapng: ", "t.pcapng: "));
    }
}
