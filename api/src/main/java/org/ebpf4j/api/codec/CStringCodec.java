package org.ebpf4j.api.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@code char name[length]} holding text: UTF-8, NUL-terminated when shorter than the array (as a program's
 * {@code bpf_get_current_comm} or {@code __builtin_memcpy} of a literal leaves it). Reading stops at the first NUL.
 */
final class CStringCodec implements Codec<String> {
    private final int length;

    CStringCodec(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("char array length " + length + " is negative");
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
    public void write(String value, byte[] out, int offset) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        if (text.length > length) {
            throw new IllegalArgumentException("\"" + value + "\" is " + text.length + " bytes in UTF-8, more than "
                    + this + " holds");
        }
        System.arraycopy(text, 0, out, offset, text.length);
        Arrays.fill(out, offset + text.length, offset + length, (byte) 0);
    }

    @Override
    public String read(byte[] in, int offset) {
        int end = offset;
        while (end < offset + length && in[end] != 0) {
            end++;
        }
        return new String(in, offset, end - offset, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "char[" + length + "]";
    }
}
