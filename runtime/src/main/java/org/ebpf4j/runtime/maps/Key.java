package org.ebpf4j.runtime.maps;

import java.util.Arrays;

/**
 * A map key as bytes, compared by content: the index of hash-like maps is keyed by these. A key stored in an index
 * owns its array; a lookup may instead look at the bytes where they lie (a program's stack), without copying them.
 */
final class Key {
    private final byte[] array;
    private final int offset;
    private final int length;
    private final int hash;

    /** A key that owns {@code bytes}. */
    Key(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** The {@code length} bytes at {@code array[offset]}, not copied: for a lookup, never to be stored. */
    Key(byte[] array, int offset, int length) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        this.hash = h;
    }

    byte[] bytes() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && k.hash == hash && k.length == length
                && Arrays.equals(k.array, k.offset, k.offset + k.length, array, offset, offset + length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
