package org.ebpf4j.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-made BTF for tests: a 24-byte header, the type words as given, then the strings. */
final class RawBtf {
    static final int HEADER = 24;

    private RawBtf() {
    }

    static int info(BtfKind kind, int vlen, boolean kindFlag) {
        return kind.number() << 24 | vlen | (kindFlag ? 1 << 31 : 0);
    }

    static int info(BtfKind kind, int vlen) {
        return info(kind, vlen, false);
    }

    static byte[] build(ByteOrder order, String strings, int... typeWords) {
        byte[] text = strings.getBytes(StandardCharsets.UTF_8);
        int typeLength = typeWords.length * 4;
        ByteBuffer out = ByteBuffer.allocate(HEADER + typeLength + text.length).order(order);
        out.putShort((short) BtfHeader.MAGIC).put((byte) 1).put((byte) 0).putInt(HEADER)
                .putInt(0).putInt(typeLength).putInt(typeLength).putInt(text.length);
        for (int word : typeWords) {
            out.putInt(word);
        }
        return out.put(text).array();
    }

    static byte[] build(String strings, int... typeWords) {
        return build(ByteOrder.LITTLE_ENDIAN, strings, typeWords);
    }

    /** A copy of {@code data} with the little-endian u32 at {@code at} replaced. */
    static byte[] withU32(byte[] data, int at, int value) {
        byte[] copy = data.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }
}
