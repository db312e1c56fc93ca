package org.ebpf4j.pcap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes Ethernet captures in little endian: pcap with microsecond or nanosecond timestamps, or pcapng with one
 * section, one Ethernet interface (nanosecond resolution) and an enhanced packet block per packet.
 */
public final class CaptureWriter {
    private static final int SNAP_LENGTH = 262144;

    private CaptureWriter() {}

    public static byte[] pcap(List<CapturedPacket> packets, boolean nanosecondTimestamps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = le(PcapReader.FILE_HEADER)
                .putInt(nanosecondTimestamps ? PcapReader.MAGIC_NANOS : PcapReader.MAGIC_MICROS)
                .putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAP_LENGTH)
                .putInt(LinkType.ETHERNET);
        out.writeBytes(header.array());
        for (CapturedPacket p : packets) {
            long seconds = Math.floorDiv(p.timestampNanos(), 1_000_000_000L);
            long nanos = Math.floorMod(p.timestampNanos(), 1_000_000_000L);
            out.writeBytes(le(PcapReader.RECORD_HEADER).putInt((int) seconds)
                    .putInt((int) (nanosecondTimestamps ? nanos : nanos / 1000)).putInt(p.data().length)
                    .putInt(p.originalLength()).array());
            out.writeBytes(p.data());
        }
        return out.toByteArray();
    }

    public static byte[] pcapng(List<CapturedPacket> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(block(PcapngReader.SECTION_HEADER, le(16).putInt(PcapngReader.BYTE_ORDER_MAGIC)
                .putShort((short) 1).putShort((short) 0).putLong(-1).array()));
        byte[] nanosecondResolution = le(16).putShort((short) 0).putShort((short) 0).putInt(SNAP_LENGTH)
                .putShort((short) PcapngReader.OPTION_IF_TSRESOL).putShort((short) 1).put((byte) 9)
                .put(new byte[3]).array();
        nanosecondResolution[0] = LinkType.ETHERNET;
        out.writeBytes(block(PcapngReader.INTERFACE_DESCRIPTION, nanosecondResolution));
        for (CapturedPacket p : packets) {
            int padded = p.data().length + 3 & ~3;
            out.writeBytes(block(PcapngReader.ENHANCED_PACKET, le(20 + padded).putInt(0)
                    .putInt((int) (p.timestampNanos() >>> 32)).putInt((int) p.timestampNanos())
                    .putInt(p.data().length).putInt(p.originalLength()).put(p.data()).array()));
        }
        return out.toByteArray();
    }

    private static byte[] block(int type, byte[] body) {
        int length = 12 + body.length;
        return le(length).putInt(type).putInt(length).put(body).putInt(length).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
