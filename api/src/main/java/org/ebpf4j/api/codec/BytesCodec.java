package org.ebpf4j.api.codec;

/** Raw bytes of a fixed length ({@code __u8 name[length]}), copied in and out. */
final class BytesCodec implements Codec<byte[]> {
    private final int length;

    BytesCodec(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("byte array length " + length + " is negative");
        }
        this.length = length;
    }

    int length() {
        return length;
    }

    @Override
    public int size() {
        return length;
    }

    @Override
    public int alignment() {
        return 1;
    }

    @Override
    public void write(byte[] value, byte[] out, int offset) {
        if (value.length != length) {
            throw new IllegalArgumentException(this + " needs " + length + " bytes, got " + value.length);
        }
        System.arraycopy(value, 0, out, offset, length);
    }

    @Override
    public byte[] read(byte[] in, int offset) {
        byte[] value = new byte[length];
        System.arraycopy(in, offset, value, 0, length);
        return value;
    }

    @Override
    public String toString() {
        return "__u8[" + length + "]";
    }
}
