package org.ebpf4j.api.codec;

import java.lang.reflect.Array;

/** A C array {@code T name[length]} as a Java array (of primitives or objects) of exactly {@code length} elements. */
final class ArrayCodec<A> implements Codec<A> {
    private final Class<?> elementType;
    private final Codec<Object> element;
    private final int length;

    @SuppressWarnings("unchecked")
    ArrayCodec(Class<?> elementType, Codec<?> element, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("array length " + length + " is negative");
        }
        this.elementType = elementType;
        this.element = (Codec<Object>) element;
        this.length = length;
    }

    Codec<?> element() {
        return element;
    }

    int length() {
        return length;
    }

    @Override
    public int size() {
        return Math.multiplyExact(element.size(), length);
    }

    @Override
    public int alignment() {
        return element.alignment();
    }

    @Override
    public void write(A value, byte[] out, int offset) {
        int actual = Array.getLength(value);
        if (actual != length) {
            throw new IllegalArgumentException(this + " needs " + length + " elements, got " + actual);
        }
        for (int i = 0; i < length; i++) {
            element.write(Array.get(value, i), out, offset + i * element.size());
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public A read(byte[] in, int offset) {
        Object array = Array.newInstance(elementType, length);
        for (int i = 0; i < length; i++) {
            Array.set(array, i, element.read(in, offset + i * element.size()));
        }
        return (A) array;
    }

    @Override
    public String toString() {
        return element + "[" + length + "]";
    }
}
