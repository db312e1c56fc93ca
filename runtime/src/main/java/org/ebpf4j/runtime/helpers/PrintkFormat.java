package org.ebpf4j.runtime.helpers;

import java.util.OptionalInt;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;

/**
 * The kernel's {@code bpf_trace_printk} formatting (kernel/bpf/helpers.c, {@code bpf_bprintf_prepare} and
 * {@code bstr_printf}): flags {@code -} and {@code 0}, a width, length modifiers {@code h hh l ll z}, conversions
 * {@code d i u x X c s p} and {@code %%}; at most three arguments. Unlike the kernel, {@code %p} prints the raw
 * tagged pointer (the kernel hashes it) since ebpf4j's pointers reveal no host address.
 */
public final class PrintkFormat {
    private PrintkFormat() {}

    /** bpf_bprintf_prepare's limit on arguments of bpf_trace_printk. */
    public static final int MAX_ARGUMENTS = 3;
    /** Longest string a {@code %s} copies (the kernel's per-string buffer). */
    private static final int MAX_STRING = 1024;

    /** A format the kernel refuses (it returns -EINVAL without printing). */
    public static final class BadFormat extends RuntimeException {
        BadFormat(String message) {
            super(message, null, false, false);
        }
    }

    /** Formats {@code format} with {@code args}; {@code %s} arguments are read from {@code memory}. */
    public static String format(String format, long[] args, AddressSpace memory) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (++i == format.length()) {
                throw new BadFormat("format ends with %");
            }
            if (format.charAt(i) == '%') {
                out.append('%');
                continue;
            }
            boolean left = false;
            boolean zero = false;
            for (; i < format.length() && (format.charAt(i) == '-' || format.charAt(i) == '0'); i++) {
                left |= format.charAt(i) == '-';
                zero |= format.charAt(i) == '0';
            }
            int width = 0;
            for (; i < format.length() && Character.isDigit(format.charAt(i)); i++) {
                width = width * 10 + (format.charAt(i) - '0');
            }
            int bits = 32;
            for (; i < format.length() && "hlz".indexOf(format.charAt(i)) >= 0; i++) {
                bits = switch (format.charAt(i)) {
                    case 'h' -> bits == 16 ? 8 : 16;
                    default -> 64;
                };
            }
            if (i == format.length()) {
                throw new BadFormat("unfinished conversion");
            }
            char conversion = format.charAt(i);
            if (used == MAX_ARGUMENTS) {
                throw new BadFormat("more than " + MAX_ARGUMENTS + " conversions");
            }
            long arg = args[used++];
            String text = switch (conversion) {
                case 'd', 'i' -> Long.toString(signed(arg, bits));
                case 'u' -> Long.toUnsignedString(unsigned(arg, bits));
                case 'x' -> Long.toHexString(unsigned(arg, bits));
                case 'X' -> Long.toHexString(unsigned(arg, bits)).toUpperCase();
                case 'c' -> String.valueOf((char) (arg & 0xff));
                case 's' -> string(memory, arg);
                case 'p' -> {
                    // %p, %px, %pK: one more letter may follow; the value is the pointer itself.
                    if (i + 1 < format.length() && "xK".indexOf(format.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    yield String.format("%016x", arg);
                }
                default -> throw new BadFormat("unsupported conversion %" + conversion);
            };
            pad(out, text, width, left, zero && !left && conversion != 's' && conversion != 'c');
        }
        return out.toString();
    }

    private static long signed(long value, int bits) {
        return switch (bits) {
            case 8 -> (byte) value;
            case 16 -> (short) value;
            case 32 -> (int) value;
            default -> value;
        };
    }

    private static long unsigned(long value, int bits) {
        return bits == 64 ? value : value & ((1L << bits) - 1);
    }

    private static void pad(StringBuilder out, String text, int width, boolean left, boolean zero) {
        int fill = width - text.length();
        if (fill <= 0) {
            out.append(text);
        } else if (left) {
            out.append(text).repeat(" ", fill);
        } else if (zero && text.startsWith("-")) {
            out.append('-').repeat("0", fill).append(text, 1, text.length());
        } else {
            out.repeat(zero ? "0" : " ", fill).append(text);
        }
    }

    /** A NUL-terminated string in BPF memory; the kernel prints an empty string when the copy faults. */
    private static String string(AddressSpace memory, long pointer) {
        StringBuilder s = new StringBuilder();
        try {
            for (int i = 0; i < MAX_STRING; i++) {
                int b = (int) memory.load(pointer + i, 1);
                if (b == 0) {
                    break;
                }
                s.append((char) b);
            }
        } catch (MemoryAccessException e) {
            return "";
        }
        return s.toString();
    }

    /** The length of the NUL-terminated format in {@code size} bytes, or empty when the last byte is not NUL. */
    public static OptionalInt terminated(byte[] format) {
        if (format.length == 0 || format[format.length - 1] != 0) {
            return OptionalInt.empty();
        }
        int n = 0;
        while (format[n] != 0) {
            n++;
        }
        return OptionalInt.of(n);
    }
}
