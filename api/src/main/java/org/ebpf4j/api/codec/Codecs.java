package org.ebpf4j.api.codec;

/**
 * The codecs for C types: scalars, byte and char arrays, and structs as records. Integers are the C value's bits
 * in the Java type of the same width (signed or not, as the map's C type is).
 */
public final class Codecs {
    private static final Codec<Byte> INT8 = new ScalarCodec.Int8();
    private static final Codec<Boolean> BOOL = new ScalarCodec.Bool();
    private static final Codec<Short> INT16 = new ScalarCodec.Int16();
    private static final Codec<Integer> INT32 = new ScalarCodec.Int32();
    private static final Codec<Long> INT64 = new ScalarCodec.Int64();
    private static final Codec<Float> FLOAT32 = new ScalarCodec.Float32();
    private static final Codec<Double> FLOAT64 = new ScalarCodec.Float64();

    private Codecs() {}

    /** {@code __u8} / {@code __s8}. */
    public static Codec<Byte> int8() {
        return INT8;
    }

    /** {@code _Bool}: one byte, any non-zero value reads as true. */
    public static Codec<Boolean> bool() {
        return BOOL;
    }

    /** {@code __u16} / {@code __s16}. */
    public static Codec<Short> int16() {
        return INT16;
    }

    /** {@code __u32} / {@code __s32}. */
    public static Codec<Integer> int32() {
        return INT32;
    }

    /** {@code __u64} / {@code __s64}. */
    public static Codec<Long> int64() {
        return INT64;
    }

    /** {@code float}. */
    public static Codec<Float> float32() {
        return FLOAT32;
    }

    /** {@code double}. */
    public static Codec<Double> float64() {
        return FLOAT64;
    }

    /** {@code __u8[length]}: raw bytes. */
    public static Codec<byte[]> bytes(int length) {
        return new BytesCodec(length);
    }

    /** {@code char[length]} holding NUL-terminated UTF-8 text. */
    public static Codec<String> string(int length) {
        return new CStringCodec(length);
    }

    /**
     * A struct with the record's components as members (see {@link RecordCodec} for the rules).
     *
     * @throws IllegalArgumentException when a component has no C layout, naming it
     */
    public static <R extends Record> RecordCodec<R> record(Class<R> type) {
        return RecordCodec.of(type);
    }
}
