package org.ebpf4j.btf;

import java.nio.charset.StandardCharsets;

/**
 * The string section of {@code .BTF}: NUL-terminated strings addressed by byte offset, offset 0 being "". Both
 * {@code .BTF} names and {@code .BTF.ext} file names and source lines live here.
 */
public final class BtfStrings {
    private final byte[] data;
    private final int start;
    private final int length;

    private BtfStrings(byte[] data, int start, int length) {
        this.data = data;
        this.start = start;
        this.length = length;
    }

    /** Checks that the section starts and ends with NUL, as Linux requires. {@code start} is from the section start. */
    static BtfStrings read(byte[] data, int start, int length) {
        if (length == 0) {
            throw new BtfFormatException("BTF: string section at byte " + start
                    + " is empty, but offset 0 must hold the empty string");
        }
        if (data[start] != 0) {
            throw new BtfFormatException("BTF: string section at byte " + start
                    + " must start with NUL (offset 0 is the empty string)");
        }
        if (data[start + length - 1] != 0) {
            throw new BtfFormatException("BTF: string section at byte " + start + " (" + length
                    + " bytes) does not end with NUL");
        }
        return new BtfStrings(data, start, length);
    }

    /** Bytes in the section. */
    public int length() {
        return length;
    }

    /** True when {@code offset} addresses a byte of the section (and so, given the final NUL, a whole string). */
    public boolean contains(long offset) {
        return offset >= 0 && offset < length;
    }

    /** The string at {@code offset}, which the caller has checked with {@link #contains}. */
    public String at(long offset) {
        if (!contains(offset)) {
            throw new IllegalArgumentException("string offset " + offset + " outside the " + length + "-byte section");
        }
        int from = start + (int) offset;
        int end = from;
        while (data[end] != 0) {
            end++;
        }
        return new String(data, from, end - from, StandardCharsets.UTF_8);
    }
}
