package org.ebpf4j.btf;

import java.nio.ByteOrder;

/**
 * The header of {@code .BTF.ext} ({@code struct btf_ext_header}). Offsets are relative to the end of the header;
 * the CO-RE fields are 0 when the header is the older 24-byte one.
 */
public record BtfExtHeader(ByteOrder order, int version, int flags, long headerLength, long funcInfoOffset,
        long funcInfoLength, long lineInfoOffset, long lineInfoLength, long coreReloOffset, long coreReloLength) {

    /** Header up to line_info_len; the CO-RE fields follow in a 32-byte header. */
    static final int BASE_LENGTH = 24;
    static final int CORE_LENGTH = 32;

    static BtfExtHeader read(byte[] data) {
        if (data.length < BASE_LENGTH) {
            throw fail("section is " + data.length + " bytes, shorter than the " + BASE_LENGTH + "-byte header");
        }
        ByteOrder order = SectionBytes.orderOfMagic(data, BtfHeader.MAGIC);
        if (order == null) {
            throw fail(String.format("bad magic 0x%02x%02x at byte 0 (expected 0x%x in either byte order)",
                    data[0] & 0xff, data[1] & 0xff, BtfHeader.MAGIC));
        }
        SectionBytes bytes = new SectionBytes(data, order);
        int version = bytes.u8(2);
        if (version != BtfHeader.VERSION) {
            throw fail("unsupported version " + version + " at byte 2 (expected " + BtfHeader.VERSION + ")");
        }
        int flags = bytes.u8(3);
        if (flags != 0) {
            throw fail("flags 0x" + Integer.toHexString(flags) + " at byte 3 must be 0");
        }
        long headerLength = bytes.u32(4);
        if (headerLength < BASE_LENGTH || headerLength > data.length) {
            throw fail("header length " + headerLength + " at byte 4 is not between " + BASE_LENGTH
                    + " and the section length " + data.length);
        }
        boolean hasCore = headerLength >= CORE_LENGTH;
        return new BtfExtHeader(order, version, flags, headerLength, bytes.u32(8), bytes.u32(12), bytes.u32(16),
                bytes.u32(20), hasCore ? bytes.u32(24) : 0, hasCore ? bytes.u32(28) : 0);
    }

    private static BtfFormatException fail(String what) {
        return new BtfFormatException("BTF.ext: " + what);
    }
}
