package org.ebpf4j.api.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** A C scalar: an integer of 1, 2, 4 or 8 bytes, a float, a double or a _Bool, little endian. */
abstract sealed class ScalarCodec<T> implements Codec<T> {
    private static final VarHandle SHORT = view(short[].class);
    private static final VarHandle INT = view(int[].class);
    private static final VarHandle LONG = view(long[].class);
    private static final VarHandle FLOAT = view(float[].class);
    private static final VarHandle DOUBLE = view(double[].class);

    private final String cName;
    private final int size;

    ScalarCodec(String cName, int size) {
        this.cName = cName;
        this.size = size;
    }

    private static VarHandle view(Class<?> arrayType) {
        return MethodHandles.byteArrayViewVarHandle(arrayType, ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public final int size() {
        return size;
    }

    @Override
    public final int alignment() {
        return size;
    }

    @Override
    public final String toString() {
        return cName;
    }

    static final class Int8 extends ScalarCodec<Byte> {
        Int8() {
            super("__u8", 1);
        }

        public void write(Byte value, byte[] out, int offset) {
            out[offset] = value;
        }

        public Byte read(byte[] in, int offset) {
            return in[offset];
        }
    }

    static final class Bool extends ScalarCodec<Boolean> {
        Bool() {
            super("_Bool", 1);
        }

        public void write(Boolean value, byte[] out, int offset) {
            out[offset] = (byte) (value ? 1 : 0);
        }

        public Boolean read(byte[] in, int offset) {
            return in[offset] != 0;
        }
    }

    static final class Int16 extends ScalarCodec<Short> {
        Int16() {
            super("__u16", 2);
        }

        public void write(Short value, byte[] out, int offset) {
            SHORT.set(out, offset, (short) value);
        }

        public Short read(byte[] in, int offset) {
            return (short) SHORT.get(in, offset);
        }
    }

    /** A 16-bit unsigned integer as a Java char, for records that prefer char to short for a __u16. */
    static final class Char16 extends ScalarCodec<Character> {
        Char16() {
            super("__u16", 2);
        }

        public void write(Character value, byte[] out, int offset) {
            SHORT.set(out, offset, (short) value.charValue());
        }

        public Character read(byte[] in, int offset) {
            return (char) (short) SHORT.get(in, offset);
        }
    }

    static final class Int32 extends ScalarCodec<Integer> {
        Int32() {
            super("__u32", 4);
        }

        public void write(Integer value, byte[] out, int offset) {
            INT.set(out, offset, (int) value);
        }

        public Integer read(byte[] in, int offset) {
            return (int) INT.get(in, offset);
        }
    }

    static final class Int64 extends ScalarCodec<Long> {
        Int64() {
            super("__u64", 8);
        }

        public void write(Long value, byte[] out, int offset) {
            LONG.set(out, offset, (long) value);
        }

        public Long read(byte[] in, int offset) {
            return (long) LONG.get(in, offset);
        }
    }

    static final class Float32 extends ScalarCodec<Float> {
        Float32() {
            super("float", 4);
        }

        public void write(Float value, byte[] out, int offset) {
            FLOAT.set(out, offset, (float) value);
        }

        public Float read(byte[] in, int offset) {
            return (float) FLOAT.get(in, offset);
        }
    }

    static final class Float64 extends ScalarCodec<Double> {
        Float64() {
            super("double", 8);
        }

        public void write(Double value, byte[] out, int offset) {
            DOUBLE.set(out, offset, (double) value);
        }

        public Double read(byte[] in, int offset) {
            return (double) DOUBLE.get(in, offset);
        }
    }
}
