package org.ebpf4j.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * libpcap's classic format: a 24-byte file header (magic, version 2.4, time zone, sigfigs, snap length, link type)
 * and records of a 16-byte header (seconds, micro- or nanoseconds, captured length, original length) and the
 * captured bytes. The magic's byte order is the file's; its value says the timestamp unit.
 */
final class PcapReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    static final int FILE_HEADER = 24;
    static final int RECORD_HEADER = 16;

    private final String name;
    private final ByteBuffer bytes;
    private final boolean nanos;

    PcapReader(String name, byte[] file) {
        this.name = name;
        this.bytes = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = bytes.getInt(0);
        if (magic != MAGIC_MICROS && magic != MAGIC_NANOS) {
            bytes.order(ByteOrder.BIG_ENDIAN);
            magic = bytes.getInt(0);
        }
        this.nanos = magic == MAGIC_NANOS;
    }

    static boolean recognises(byte[] file) {
        int le = ByteBuffer.wrap(file, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = Integer.reverseBytes(le);
        return le == MAGIC_MICROS || le == MAGIC_NANOS || be == MAGIC_MICROS || be == MAGIC_NANOS;
    }

    List<CapturedPacket> packets() {
        if (bytes.limit() < FILE_HEADER) {
            throw new CaptureFormatException(name, 0, "pcap file header", "truncated: " + bytes.limit()
                    + " of " + FILE_HEADER + " bytes");
        }
        int major = Short.toUnsignedInt(bytes.getShort(4));
        int minor = Short.toUnsignedInt(bytes.getShort(6));
        if (major != 2) {
            throw new CaptureFormatException(name, 4, "pcap file header", "version " + major + "." + minor
                    + " is not 2.x");
        }
        // The low 16 bits; the high ones may carry the FCS length (draft-ietf-opsawg-pcap, section 4).
        int linkType = bytes.getInt(20) & 0xffff;
        List<CapturedPacket> packets = new ArrayList<>();
        int offset = FILE_HEADER;
        while (offset < bytes.limit()) {
            int number = packets.size() + 1;
            int left = bytes.limit() - offset;
            if (left < RECORD_HEADER) {
                throw new CaptureFormatException(name, offset, "record header of packet " + number, "truncated: "
                        + left + " of " + RECORD_HEADER + " bytes");
            }
            long seconds = Integer.toUnsignedLong(bytes.getInt(offset));
            long fraction = Integer.toUnsignedLong(bytes.getInt(offset + 4));
            long captured = Integer.toUnsignedLong(bytes.getInt(offset + 8));
            long original = Integer.toUnsignedLong(bytes.getInt(offset + 12));
            if (captured > left - RECORD_HEADER) {
                throw new CaptureFormatException(name, offset, "record of packet " + number, "captured length "
                        + captured + " but only " + (left - RECORD_HEADER) + " bytes follow the record header");
            }
            if (original > Integer.MAX_VALUE) {
                throw new CaptureFormatException(name, offset + 12, "record of packet " + number,
                        "original length " + original + " is not a packet length");
            }
            byte[] data = new byte[(int) captured];
            bytes.get(offset + RECORD_HEADER, data);
            long nanosOfSecond = nanos ? fraction : fraction * 1000;
            packets.add(new CapturedPacket(number, offset, 0, linkType, seconds * 1_000_000_000L + nanosOfSecond,
                    (int) original, data));
            offset += RECORD_HEADER + (int) captured;
        }
        return packets;
    }
}
