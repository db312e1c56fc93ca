package org.ebpf4j.runtime.helpers;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;

/**
 * The formats of {@code bpf_trace_printk} and {@code bpf_snprintf}: the kernel's {@code bpf_bprintf_prepare} (what
 * it accepts) and {@code bstr_printf} (how it prints), kernel/bpf/helpers.c and lib/vsprintf.c.
 *
 * <ul>
 *   <li>Only printable characters and white space (the kernel's Latin-1 ctype); {@code %%}; flags {@code 0 + - space}; a width; no precision.</li>
 *   <li>{@code %d %i %u %x %X} with {@code l} or {@code ll} (64 bits) or without (32 bits); no {@code h} or
 *       {@code z}; {@code %c}; {@code %s} (the next character must be NUL, white space or punctuation).</li>
 *   <li>{@code %p} (plain, {@code K}, {@code x}, {@code s}, {@code S}), {@code %pB}, {@code %pks}/{@code %pus}
 *       (strings), {@code %pI4 %pi4 %pI6 %pi6} (an address read from memory; zeros when unreadable).</li>
 *   <li>Arguments go through a 512-byte buffer (numbers 4-byte aligned, strings with their NUL); running out of it
 *       is -ENOSPC, and a string is cut to what is left.</li>
 * </ul>
 * Anything else is -EINVAL. Unlike the kernel, pointers print as the tagged value (the kernel hashes them: ebpf4j's
 * pointers reveal no host address), and symbol conversions ({@code %ps %pS %pB}) print {@code 0x} and the value, as
 * the kernel does for an address no symbol covers.
 */
public final class PrintkFormat {
    private PrintkFormat() {}

    /** bpf_trace_printk's arguments (MAX_TRACE_PRINTK_VARARGS). */
    public static final int MAX_ARGUMENTS = 3;
    /** MAX_BPRINTF_BIN_ARGS: the buffer the arguments are copied to before printing. */
    static final int ARGUMENT_BUFFER = 512;

    private static final int LEFT = 1;
    private static final int PLUS = 2;
    private static final int SPACE = 4;
    private static final int ZEROPAD = 8;

    /** A format the kernel refuses: -EINVAL, or -ENOSPC when its arguments overflow the argument buffer. */
    public static final class BadFormat extends RuntimeException {
        private final Errno errno;

        BadFormat(Errno errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }

        public Errno errno() {
            return errno;
        }
    }

    /** Formats {@code format} with {@code args} (as many as the caller offers); strings and addresses are read from {@code memory}. */
    public static String format(String format, long[] args, AddressSpace memory) {
        return new Run(format, args, memory).format();
    }

    private static final class Run {
        private final String fmt;
        private final long[] args;
        private final AddressSpace memory;
        private final StringBuilder out = new StringBuilder();
        private int used;

        Run(String fmt, long[] args, AddressSpace memory) {
            this.fmt = fmt;
            this.args = args;
            this.memory = memory;
        }

        private char at(int i) {
            return i < fmt.length() ? fmt.charAt(i) : 0;
        }

        String format() {
            int spec = 0;
            for (int i = 0; i < fmt.length(); i++) {
                char c = fmt.charAt(i);
                // Checked as the kernel walks the format, so that an earlier -ENOSPC wins over a later character.
                if (!isPrint(c) && !isSpace(c)) {
                    throw bad("character 0x" + Integer.toHexString(c) + " at " + i + " is not printable");
                }
                if (c != '%') {
                    out.append(c);
                    continue;
                }
                if (at(i + 1) == '%') {
                    out.append('%');
                    i++;
                    continue;
                }
                if (spec >= args.length) {
                    throw bad("more conversions than the " + args.length + " arguments");
                }
                long arg = args[spec++];
                i++;
                int flags = 0;
                for (; "0+- ".indexOf(at(i)) >= 0 && at(i) != 0; i++) {
                    flags |= switch (at(i)) {
                        case '0' -> ZEROPAD;
                        case '+' -> PLUS;
                        case '-' -> LEFT;
                        default -> SPACE;
                    };
                }
                int width = 0;
                if (at(i) >= '1' && at(i) <= '9') {
                    for (; at(i) >= '0' && at(i) <= '9'; i++) {
                        width = Math.min(width * 10 + (at(i) - '0'), 1 << 20);
                    }
                }
                i = conversion(i, arg, flags, width);
            }
            return out.toString();
        }

        /** One conversion starting at {@code i} (after flags and width); returns the index of its last character. */
        private int conversion(int i, long arg, int flags, int width) {
            char c = at(i);
            if (c == 'p') {
                char next = at(i + 1);
                if (next == 0 || isSpace(next) || isPunct(next)) {
                    reserve(8);
                    pointer(arg, flags, width);
                    return i;
                }
                if ((next == 'k' || next == 'u') && at(i + 2) == 's') {
                    stringArgument(i + 2, arg, 0, 0);
                    return i + 2;
                }
                if ("KxsS".indexOf(next) >= 0) {
                    reserve(8);
                    if (next == 's' || next == 'S') {
                        padded("0x" + Long.toHexString(arg), flags & LEFT, width);
                    } else {
                        pointer(arg, flags, width);
                    }
                    return i + 1;
                }
                if (next == 'B') {
                    String symbol = "0x" + Long.toHexString(arg);
                    used += symbol.length() + 1;
                    out.append(symbol);
                    return i + 1;
                }
                char version = at(i + 2);
                if ((next != 'i' && next != 'I') || (version != '4' && version != '6')) {
                    throw bad("unsupported pointer conversion %p" + next);
                }
                int size = version == '4' ? 4 : 16;
                if (ARGUMENT_BUFFER - used < size) {
                    throw noSpace();
                }
                String address = address(arg, size, next == 'I');
                used += address.length() + 1;
                out.append(address);
                return i + 2;
            }
            if (c == 's') {
                stringArgument(i, arg, flags, width);
                return i;
            }
            if (c == 'c') {
                if (used >= ARGUMENT_BUFFER) {
                    throw noSpace();
                }
                used++;
                padded(String.valueOf((char) (arg & 0xff)), flags & LEFT, width);
                return i;
            }
            int size = 4;
            if (at(i) == 'l') {
                size = 8;
                i++;
            }
            if (at(i) == 'l') {
                i++;
            }
            c = at(i);
            if ("iduxX".indexOf(c) < 0 || c == 0) {
                throw bad("unsupported conversion at " + i + " (%d %i %u %x %X with l or ll, %c, %s, %p...)");
            }
            reserve(size);
            long value = size == 4 ? (c == 'd' || c == 'i' ? (int) arg : arg & 0xffff_ffffL) : arg;
            number(value, c == 'd' || c == 'i', c == 'X' ? 16 : c == 'x' ? 16 : 10, c == 'X', flags, width);
            return i;
        }

        /** A %s-like argument: copied into the argument buffer (cut to what is left), then printed. */
        private void stringArgument(int i, long pointer, int flags, int width) {
            char next = at(i + 1);
            if (next != 0 && !isSpace(next) && !isPunct(next)) {
                throw bad("%s followed by '" + next + "'");
            }
            if (used >= ARGUMENT_BUFFER) {
                throw noSpace();
            }
            String s;
            try {
                s = new String(HelperMemory.string(memory, pointer, ARGUMENT_BUFFER - used - 1),
                        StandardCharsets.ISO_8859_1);
            } catch (MemoryAccessException e) {
                s = ""; // the kernel prints an empty string when the copy faults
            }
            used += s.length() + 1;
            if (width == 0) {
                out.append(s);
            } else {
                padded(s, flags & LEFT, width);
            }
        }

        /** A number's bytes in the argument buffer, 4-byte aligned. */
        private void reserve(int size) {
            used = (used + 3) & ~3;
            if (ARGUMENT_BUFFER - used < size) {
                throw noSpace();
            }
            used += size;
        }

        private void pointer(long value, int flags, int width) {
            if (width == 0) {
                out.append(String.format("%016x", value));
            } else {
                number(value, false, 16, false, flags, width);
            }
        }

        private String address(long pointer, int size, boolean separated) {
            byte[] ip = new byte[size];
            try {
                memory.read(pointer, ip, 0, size);
            } catch (MemoryAccessException e) {
                // copy_from_kernel_nofault failed: the kernel prints zeros
            }
            StringBuilder s = new StringBuilder();
            for (int b = 0; b < size; b++) {
                int v = ip[b] & 0xff;
                if (size == 4) {
                    s.append(b == 0 ? "" : ".").append(separated ? Integer.toString(v) : String.format("%03d", v));
                } else {
                    s.append(separated && b > 0 && b % 2 == 0 ? ":" : "").append(String.format("%02x", v));
                }
            }
            return s.toString();
        }

        private void number(long value, boolean signed, int base, boolean upper, int flags, int width) {
            String sign = "";
            String digits;
            if (signed && value < 0) {
                sign = "-";
                digits = Long.toUnsignedString(-value, base);
            } else {
                if (signed && (flags & PLUS) != 0) {
                    sign = "+";
                } else if (signed && (flags & SPACE) != 0) {
                    sign = " ";
                }
                digits = Long.toUnsignedString(value, base);
            }
            if (upper) {
                digits = digits.toUpperCase();
            }
            int fill = width - sign.length() - digits.length();
            if ((flags & LEFT) != 0) {
                out.append(sign).append(digits).repeat(" ", Math.max(0, fill));
            } else if ((flags & ZEROPAD) != 0) {
                out.append(sign).repeat("0", Math.max(0, fill)).append(digits);
            } else {
                out.repeat(" ", Math.max(0, fill)).append(sign).append(digits);
            }
        }

        /** Characters and strings are padded with spaces only. */
        private void padded(String text, int left, int width) {
            int fill = Math.max(0, width - text.length());
            if (left != 0) {
                out.append(text).repeat(" ", fill);
            } else {
                out.repeat(" ", fill).append(text);
            }
        }

        private static BadFormat bad(String message) {
            return new BadFormat(Errno.EINVAL, message);
        }

        private static BadFormat noSpace() {
            return new BadFormat(Errno.ENOSPC, "the arguments need more than " + ARGUMENT_BUFFER + " bytes");
        }
    }

    /** isspace of the kernel's ctype (Latin-1): \t to \r, space, no-break space. */
    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r' || c == 0xa0;
    }

    /** isprint of the kernel's ctype (Latin-1): ASCII's printable characters and 0xa0-0xff. */
    private static boolean isPrint(char c) {
        return c >= 0x20 && c < 0x7f || c >= 0xa0 && c <= 0xff;
    }

    /** ispunct: printable, not alphanumeric, not a space. */
    private static boolean isPunct(char c) {
        return c > ' ' && c < 0x7f && !Character.isLetterOrDigit(c);
    }

    /**
     * The length of the format in the first {@code size} bytes, up to its NUL (strnchr), or empty when there is no
     * NUL there (the kernel then refuses it with -EINVAL).
     */
    public static OptionalInt terminated(byte[] format) {
        for (int n = 0; n < format.length; n++) {
            if (format[n] == 0) {
                return OptionalInt.of(n);
            }
        }
        return OptionalInt.empty();
    }
}
