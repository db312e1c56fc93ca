package org.ebpf4j.btf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bytes of one section read in its byte order. Readers check every range with {@link #require} before reading,
 * so a short or lying section becomes a {@link BtfFormatException} with the byte offset, never an index error.
 */
final class SectionBytes {
    private static final VarHandle U16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle U32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] data;
    private final ByteOrder order;
    private final VarHandle u16;
    private final VarHandle u32;

    SectionBytes(byte[] data, ByteOrder order) {
        this.data = data;
        this.order = order;
        this.u16 = order == ByteOrder.LITTLE_ENDIAN ? U16_LE : U16_BE;
        this.u32 = order == ByteOrder.LITTLE_ENDIAN ? U32_LE : U32_BE;
    }

    /**
     * The byte order whose reading of the first two bytes gives {@code magic}, or null for neither (also when the
     * data is shorter than two bytes).
     */
    static ByteOrder orderOfMagic(byte[] data, int magic) {
        if (data.length < 2) {
            return null;
        }
        if ((short) U16_LE.get(data, 0) == (short) magic) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if ((short) U16_BE.get(data, 0) == (short) magic) {
            return ByteOrder.BIG_ENDIAN;
        }
        return null;
    }

    int length() {
        return data.length;
    }

    ByteOrder order() {
        return order;
    }

    /** True when {@code count} bytes from {@code at} lie inside the section (all in long arithmetic: no overflow). */
    boolean contains(long at, long count) {
        return at >= 0 && count >= 0 && at + count <= data.length;
    }

    int u8(int at) {
        return data[at] & 0xff;
    }

    int u16(int at) {
        return (short) u16.get(data, at) & 0xffff;
    }

    long u32(int at) {
        return (int) u32.get(data, at) & 0xffff_ffffL;
    }

    int s32(int at) {
        return (int) u32.get(data, at);
    }

    byte[] raw() {
        return data;
    }
}
