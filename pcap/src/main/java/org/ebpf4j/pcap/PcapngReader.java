package org.ebpf4j.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks {type, total length, body, total length}. A section header
 * block sets the byte order (its byte-order magic) and starts a new list of interfaces; interface description blocks
 * give each interface its link type, snap length and timestamp resolution; enhanced and simple packet blocks (and
 * the obsolete packet block) hold packets. Other blocks (name resolution, statistics, custom...) are skipped.
 */
final class PcapngReader {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int OBSOLETE_PACKET = 2;
    static final int SIMPLE_PACKET = 3;
    static final int ENHANCED_PACKET = 6;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int OPTION_END = 0;
    static final int OPTION_IF_TSRESOL = 9;
    static final int OPTION_IF_TSOFFSET = 14;

    private record Interface(int linkType, long snapLength, TimestampResolution resolution, long offsetSeconds) {}

    private final String name;
    private final ByteBuffer bytes;
    private final List<Interface> interfaces = new ArrayList<>();
    private final List<CapturedPacket> packets = new ArrayList<>();

    PcapngReader(String name, byte[] file) {
        this.name = name;
        this.bytes = ByteBuffer.wrap(file);
    }

    static boolean recognises(byte[] file) {
        return ByteBuffer.wrap(file, 0, 4).getInt() == SECTION_HEADER;
    }

    List<CapturedPacket> packets() {
        int offset = 0;
        while (offset < bytes.limit()) {
            offset = block(offset);
        }
        return packets;
    }

    /** Reads the block at {@code offset}; returns the offset of the next one. */
    private int block(int offset) {
        int left = bytes.limit() - offset;
        if (left < 12) {
            throw new CaptureFormatException(name, offset, "block", "truncated: " + left
                    + " bytes left, a block takes at least 12");
        }
        int type = bytes.getInt(offset); // SECTION_HEADER reads the same in both orders
        if (type == SECTION_HEADER) {
            sectionByteOrder(offset);
        }
        type = bytes.getInt(offset);
        String block = blockName(type) + " block";
        long length = Integer.toUnsignedLong(bytes.getInt(offset + 4));
        if (length < 12 || length % 4 != 0) {
            throw new CaptureFormatException(name, offset, block, "total length " + length
                    + " is not a multiple of 4 of at least 12");
        }
        if (length > left) {
            throw new CaptureFormatException(name, offset, block, "truncated: its total length is " + length
                    + " but only " + left + " bytes are left");
        }
        int end = offset + (int) length;
        long trailer = Integer.toUnsignedLong(bytes.getInt(end - 4));
        if (trailer != length) {
            throw new CaptureFormatException(name, offset, block, "total length " + length
                    + " at its start but " + trailer + " at its end");
        }
        Body body = new Body(offset, block, offset + 8, end - 4);
        switch (type) {
            case SECTION_HEADER -> section(body);
            case INTERFACE_DESCRIPTION -> interfaceDescription(body);
            case ENHANCED_PACKET -> enhancedPacket(body, false);
            case OBSOLETE_PACKET -> enhancedPacket(body, true);
            case SIMPLE_PACKET -> simplePacket(body);
            default -> { } // blocks that hold no packets
        }
        return end;
    }

    private void sectionByteOrder(int offset) {
        bytes.order(ByteOrder.BIG_ENDIAN);
        int magic = bytes.getInt(offset + 8);
        if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            bytes.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != BYTE_ORDER_MAGIC) {
            throw new CaptureFormatException(name, offset + 8, "section header block", String.format(
                    "byte-order magic %08x is neither 1a2b3c4d nor 4d3c2b1a", magic));
        }
    }

    private void section(Body body) {
        body.require(16, "byte-order magic, version and section length");
        int major = Short.toUnsignedInt(bytes.getShort(body.start + 4));
        int minor = Short.toUnsignedInt(bytes.getShort(body.start + 6));
        if (major != 1) {
            throw new CaptureFormatException(name, body.start + 4, body.block, "version " + major + "." + minor
                    + " is not 1.x");
        }
        interfaces.clear();
    }

    private void interfaceDescription(Body body) {
        body.require(8, "link type and snap length");
        int linkType = Short.toUnsignedInt(bytes.getShort(body.start));
        long snapLength = Integer.toUnsignedLong(bytes.getInt(body.start + 4));
        TimestampResolution resolution = TimestampResolution.MICROSECONDS;
        long offsetSeconds = 0;
        int option = body.start + 8;
        while (option + 4 <= body.end) {
            int code = Short.toUnsignedInt(bytes.getShort(option));
            int length = Short.toUnsignedInt(bytes.getShort(option + 2));
            int value = option + 4;
            if (code == OPTION_END) {
                break;
            }
            if (value + length > body.end) {
                throw new CaptureFormatException(name, option, body.block + " of interface " + interfaces.size(),
                        "option " + code + " of " + length + " bytes runs past the block's end");
            }
            if (code == OPTION_IF_TSRESOL && length == 1) {
                resolution = TimestampResolution.of(bytes.get(value));
            } else if (code == OPTION_IF_TSOFFSET && length == 8) {
                offsetSeconds = bytes.getLong(value);
            }
            option = value + (length + 3 & ~3);
        }
        interfaces.add(new Interface(linkType, snapLength, resolution, offsetSeconds));
    }

    private void enhancedPacket(Body body, boolean obsolete) {
        int number = packets.size() + 1;
        String where = body.block + " of packet " + number;
        body.require(20, "packet header");
        int interfaceId = obsolete ? Short.toUnsignedInt(bytes.getShort(body.start))
                : bytes.getInt(body.start);
        Interface iface = iface(body, interfaceId, where);
        long ticks = Integer.toUnsignedLong(bytes.getInt(body.start + 4)) << 32
                | Integer.toUnsignedLong(bytes.getInt(body.start + 8));
        long captured = Integer.toUnsignedLong(bytes.getInt(body.start + 12));
        long original = Integer.toUnsignedLong(bytes.getInt(body.start + 16));
        if (captured > body.end - body.start - 20) {
            throw new CaptureFormatException(name, body.blockOffset, where, "captured length " + captured
                    + " but the block holds " + (body.end - body.start - 20) + " bytes of packet data");
        }
        if (original > Integer.MAX_VALUE) {
            throw new CaptureFormatException(name, body.blockOffset, where, "original length " + original
                    + " is not a packet length");
        }
        byte[] data = new byte[(int) captured];
        bytes.get(body.start + 20, data);
        packets.add(new CapturedPacket(number, body.blockOffset, interfaceId, iface.linkType,
                iface.resolution.toNanos(ticks) + iface.offsetSeconds * 1_000_000_000L, (int) original, data));
    }

    private void simplePacket(Body body) {
        int number = packets.size() + 1;
        String where = body.block + " of packet " + number;
        body.require(4, "original length");
        Interface iface = iface(body, 0, where);
        long original = Integer.toUnsignedLong(bytes.getInt(body.start));
        // The captured length is not recorded: the original length, cut by the snap length and the block's size.
        long captured = Math.min(original, body.end - body.start - 4);
        if (iface.snapLength != 0) {
            captured = Math.min(captured, iface.snapLength);
        }
        if (original > Integer.MAX_VALUE) {
            throw new CaptureFormatException(name, body.blockOffset, where, "original length " + original
                    + " is not a packet length");
        }
        byte[] data = new byte[(int) captured];
        bytes.get(body.start + 4, data);
        // Simple packet blocks have no timestamp.
        packets.add(new CapturedPacket(number, body.blockOffset, 0, iface.linkType, 0, (int) original, data));
    }

    private Interface iface(Body body, int id, String where) {
        if (id < 0 || id >= interfaces.size()) {
            throw new CaptureFormatException(name, body.blockOffset, where, "interface " + Integer.toUnsignedString(id)
                    + " is not described in this section (it has " + interfaces.size() + ")");
        }
        return interfaces.get(id);
    }

    private static String blockName(int type) {
        return switch (type) {
            case SECTION_HEADER -> "section header";
            case INTERFACE_DESCRIPTION -> "interface description";
            case OBSOLETE_PACKET -> "packet";
            case SIMPLE_PACKET -> "simple packet";
            case ENHANCED_PACKET -> "enhanced packet";
            default -> String.format("type 0x%08x", type);
        };
    }

    /** A block's body: [start, end) between the lengths. */
    private final class Body {
        final int blockOffset;
        final String block;
        final int start;
        final int end;

        Body(int blockOffset, String block, int start, int end) {
            this.blockOffset = blockOffset;
            this.block = block;
            this.start = start;
            this.end = end;
        }

        void require(int size, String what) {
            if (end - start < size) {
                throw new CaptureFormatException(name, blockOffset, block, "its body has " + (end - start)
                        + " bytes, too few for the " + what + " (" + size + ")");
            }
        }
    }
}
