package org.ebpf4j.btf;

import java.nio.ByteOrder;

/**
 * The header of a {@code .BTF} section ({@code struct btf_header}). The type and string offsets are relative to
 * the end of the header, as in the section; {@link #typeStart()} and {@link #stringStart()} give them from the start
 * of the section.
 */
public record BtfHeader(ByteOrder order, int version, int flags, long headerLength, long typeOffset, long typeLength,
        long stringOffset, long stringLength) {

    public static final int MAGIC = 0xeb9f;
    public static final int VERSION = 1;
    /** Bytes of {@code struct btf_header} as Linux defines it today. */
    public static final int KNOWN_LENGTH = 24;

    public long typeStart() {
        return headerLength + typeOffset;
    }

    public long stringStart() {
        return headerLength + stringOffset;
    }

    /** Reads and checks the header: magic (either byte order), version, flags, and both sections inside the data. */
    static BtfHeader read(byte[] data) {
        if (data.length < KNOWN_LENGTH) {
            throw fail("section is " + data.length + " bytes, shorter than the " + KNOWN_LENGTH + "-byte header");
        }
        ByteOrder order = SectionBytes.orderOfMagic(data, MAGIC);
        if (order == null) {
            throw fail(String.format("bad magic 0x%02x%02x at byte 0 (expected 0x%x in either byte order)",
                    data[0] & 0xff, data[1] & 0xff, MAGIC));
        }
        SectionBytes bytes = new SectionBytes(data, order);
        int version = bytes.u8(2);
        if (version != VERSION) {
            throw fail("unsupported version " + version + " at byte 2 (expected " + VERSION + ")");
        }
        int flags = bytes.u8(3);
        if (flags != 0) {
            throw fail("flags 0x" + Integer.toHexString(flags) + " at byte 3 must be 0");
        }
        long headerLength = bytes.u32(4);
        if (headerLength < KNOWN_LENGTH) {
            throw fail("header length " + headerLength + " at byte 4 is shorter than " + KNOWN_LENGTH);
        }
        if (headerLength > data.length) {
            throw fail("header length " + headerLength + " at byte 4 exceeds the section (" + data.length + " bytes)");
        }
        // A longer header is from a newer format; it is only safe to ignore when its extra fields are all zero.
        for (int at = KNOWN_LENGTH; at < headerLength; at++) {
            if (data[at] != 0) {
                throw fail("header byte " + at + " beyond the known fields is not zero");
            }
        }
        BtfHeader header = new BtfHeader(order, version, flags, headerLength, bytes.u32(8), bytes.u32(12),
                bytes.u32(16), bytes.u32(20));
        header.checkLayout(data.length);
        return header;
    }

    private void checkLayout(int sectionLength) {
        long dataLength = sectionLength - headerLength;
        if (typeOffset % 4 != 0) {
            throw fail("type section offset " + typeOffset + " at byte 8 is not 4-byte aligned");
        }
        if (typeOffset + typeLength > dataLength) {
            throw fail("type section [" + typeOffset + ", " + (typeOffset + typeLength) + ") at byte 8 extends "
                    + "beyond the " + dataLength + " bytes after the header");
        }
        if (stringOffset + stringLength > dataLength) {
            throw fail("string section [" + stringOffset + ", " + (stringOffset + stringLength) + ") at byte 16 "
                    + "extends beyond the " + dataLength + " bytes after the header");
        }
        if (typeOffset < stringOffset + stringLength && stringOffset < typeOffset + typeLength) {
            throw fail("type section [" + typeOffset + ", " + (typeOffset + typeLength) + ") and string section ["
                    + stringOffset + ", " + (stringOffset + stringLength) + ") overlap");
        }
    }

    private static BtfFormatException fail(String what) {
        return new BtfFormatException("BTF: " + what);
    }
}
