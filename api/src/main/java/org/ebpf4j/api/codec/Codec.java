package org.ebpf4j.api.codec;

/**
 * Converts between a Java value and its bytes in a BPF map: little endian, laid out as clang lays out the C type
 * for the BPF target (natural alignment, padding zeroed). A codec has a fixed size, as map keys and values do.
 *
 * <p>Codecs compose: {@link Codecs#record} builds a struct codec from a Java record's components, each of which is
 * itself a codec, so nested structs and arrays follow the same rules as in C.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {
    /** The C type's size in bytes ({@code sizeof}), padding included. */
    int size();

    /** The C type's alignment in bytes ({@code _Alignof}): where a struct member of this type starts. */
    int alignment();

    /** Writes {@code value} into {@code out} at {@code offset}; padding bytes are left as they are. */
    void write(T value, byte[] out, int offset);

    /** Reads a value from {@code in} at {@code offset}. */
    T read(byte[] in, int offset);

    /** {@code value} as a new array of {@link #size()} bytes, padding zero. */
    default byte[] encode(T value) {
        byte[] out = new byte[size()];
        write(value, out, 0);
        return out;
    }

    /** The value {@code bytes} hold; they must be exactly {@link #size()} long. */
    default T decode(byte[] bytes) {
        if (bytes.length != size()) {
            throw new IllegalArgumentException("expected " + size() + " bytes for " + this + ", got " + bytes.length);
        }
        return read(bytes, 0);
    }
}
