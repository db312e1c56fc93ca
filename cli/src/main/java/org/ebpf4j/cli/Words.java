package org.ebpf4j.cli;

import java.util.List;

/**
 * bpftool's positional grammar over a command's words ({@code id 5 key hex 01 00 00 00 value ...}): a cursor that
 * reads keywords, numbers and byte strings, each failure a {@link BpftoolError} naming the word.
 */
final class Words {
    private final List<String> words;
    private int at;

    Words(List<String> words) {
        this.words = words == null ? List.of() : words;
    }

    boolean hasNext() {
        return at < words.size();
    }

    String peek() {
        return hasNext() ? words.get(at) : null;
    }

    /** The next word, which must be there: {@code what} names it in the error. */
    String next(String what) {
        if (!hasNext()) {
            throw new BpftoolError("expected " + what);
        }
        return words.get(at++);
    }

    /** Consumes {@code keyword} when it is the next word. */
    boolean accept(String keyword) {
        if (keyword.equals(peek())) {
            at++;
            return true;
        }
        return false;
    }

    int number(String what) {
        String word = next(what);
        try {
            return Integer.decode(word);
        } catch (NumberFormatException e) {
            throw new BpftoolError("can't parse " + what + ": " + word);
        }
    }

    /**
     * bpftool's {@code DATA := [hex] BYTES}: exactly {@code size} bytes, each a C integer literal (decimal,
     * {@code 0x} hex, {@code 0} octal) or, after {@code hex}, hex digits.
     */
    byte[] bytes(String what, int size) {
        boolean hex = accept("hex");
        byte[] out = new byte[size];
        int i = 0;
        // As bpftool: exactly size words, so a short key runs into "value" and fails to parse it as a byte.
        for (; i < size && hasNext(); i++) {
            String word = words.get(at++);
            out[i] = (byte) parseByte(word, hex);
        }
        if (i != size) {
            throw new BpftoolError(what + " expected " + size + " bytes got " + i);
        }
        return out;
    }

    private static int parseByte(String word, boolean hex) {
        try {
            int value;
            if (hex) {
                value = Integer.parseInt(word, 16);
            } else if (word.startsWith("0x") || word.startsWith("0X")) {
                value = Integer.parseInt(word.substring(2), 16);
            } else if (word.length() > 1 && word.startsWith("0")) {
                value = Integer.parseInt(word.substring(1), 8);
            } else {
                value = Integer.parseInt(word);
            }
            if (value < 0 || value > 0xff) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new BpftoolError("error parsing byte: " + word);
        }
    }

    void expectEnd() {
        if (hasNext()) {
            throw new BpftoolError("unexpected word: " + peek());
        }
    }
}
