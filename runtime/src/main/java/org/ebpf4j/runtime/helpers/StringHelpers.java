package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFunction.SNPRINTF;
import static org.ebpf4j.spec.HelperFunction.STRNCMP;
import static org.ebpf4j.spec.HelperFunction.STRTOL;
import static org.ebpf4j.spec.HelperFunction.STRTOUL;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFunction;

/** {@code bpf_snprintf}, {@code bpf_strncmp}, {@code bpf_strtol} and {@code bpf_strtoul} (kernel/bpf/helpers.c). */
public final class StringHelpers {
    private StringHelpers() {}

    private static final long EINVAL = -Errno.EINVAL.value();
    private static final long ERANGE = -Errno.ERANGE.value();
    /** MAX_BPF_FUNC_VARARGS: bpf_snprintf's most arguments. */
    static final int MAX_SNPRINTF_ARGUMENTS = 12;
    /** BPF_STRTOX_BASE_MASK: the base in the low five bits of the flags. */
    private static final long BASE_MASK = 0x1f;
    /** Longest format read (a format lives in a map value, which is smaller). */
    private static final int MAX_FORMAT = 1 << 16;

    public static HelperRegistry register(HelperRegistry helpers) {
        return with(with(with(with(helpers,
                SNPRINTF, StringHelpers::snprintf),
                STRNCMP, (c, s1, size, s2, r4, r5) -> strncmp(c, s1, size, s2)),
                STRTOL, (c, buf, len, flags, res, r5) -> strtol(c, buf, len, flags, res, true)),
                STRTOUL, (c, buf, len, flags, res, r5) -> strtol(c, buf, len, flags, res, false));
    }

    private static HelperRegistry with(HelperRegistry helpers, HelperFunction function, Helper helper) {
        return helpers.with(function.value(), function.kernelName(), helper);
    }

    /**
     * {@code long bpf_snprintf(char *str, u32 str_size, const char *fmt, u64 *data, u32 data_len)}: formats
     * {@code data_len / 8} arguments (a multiple of 8, at most 12 of them) into {@code str}, cut to
     * {@code str_size - 1} bytes and a NUL; returns the untruncated length plus one, or -EINVAL/-ENOSPC from the
     * format ({@link PrintkFormat}).
     */
    static long snprintf(HelperContext c, long str, long strSize, long fmt, long data, long dataLen) {
        long length = dataLen & 0xffff_ffffL;
        if (length % 8 != 0 || length > MAX_SNPRINTF_ARGUMENTS * 8L || (length != 0 && data == 0)) {
            return EINVAL;
        }
        long[] args = new long[(int) length / 8];
        for (int i = 0; i < args.length; i++) {
            args[i] = c.memory().load(data + 8L * i, 8);
        }
        String text;
        try {
            String format = new String(HelperMemory.string(c.memory(), fmt, MAX_FORMAT), StandardCharsets.ISO_8859_1);
            text = PrintkFormat.format(format, args, c.memory());
        } catch (PrintkFormat.BadFormat e) {
            return -e.errno().value();
        } catch (MemoryAccessException e) {
            return EINVAL;
        }
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        long size = strSize & 0xffff_ffffL;
        if (size > 0) {
            int n = (int) Math.min(bytes.length, size - 1);
            byte[] out = new byte[n + 1];
            System.arraycopy(bytes, 0, out, 0, n);
            c.memory().write(str, out, 0, out.length);
        }
        return bytes.length + 1L;
    }

    /**
     * {@code long bpf_strncmp(const char *s1, u32 s1_sz, const char *s2)}: the kernel's strncmp over at most
     * {@code s1_sz} bytes: 0, or -1/1 at the first difference (bytes compared unsigned).
     */
    static long strncmp(HelperContext c, long s1, long size, long s2) {
        long count = size & 0xffff_ffffL;
        for (long i = 0; i < count; i++) {
            int a = (int) c.memory().load(s1 + i, 1);
            int b = (int) c.memory().load(s2 + i, 1);
            if (a != b) {
                return a < b ? -1 : 1;
            }
            if (a == 0) {
                break;
            }
        }
        return 0;
    }

    /**
     * {@code long bpf_strtol(const char *buf, size_t buf_len, u64 flags, long *res)} and {@code bpf_strtoul}: leading
     * white space, a '-', then digits in the base of the flags (0 detects 0x/0 prefixes, or 8, 10, 16) among the
     * first 63 bytes that follow. Returns the bytes consumed and stores the value in {@code *res} (0 on error);
     * -EINVAL for bad flags or base, no digits or an empty buffer (and for '-' with strtoul), -ERANGE on overflow.
     */
    static long strtol(HelperContext c, long buf, long bufLen, long flags, long res, boolean signed) {
        c.memory().store(res, 8, 0);
        byte[] bytes = HelperMemory.buffer(bufLen, signed ? "bpf_strtol" : "bpf_strtoul");
        c.memory().read(buf, bytes, 0, bytes.length);
        Parsed p = parse(bytes, flags);
        if (p.error != 0) {
            return p.error;
        }
        long value;
        if (signed) {
            if (p.negative) {
                if (-p.magnitude > 0) {
                    return ERANGE;
                }
                value = -p.magnitude;
            } else {
                if (p.magnitude < 0) {
                    return ERANGE;
                }
                value = p.magnitude;
            }
        } else {
            if (p.negative) {
                return EINVAL;
            }
            value = p.magnitude;
        }
        c.memory().store(res, 8, value);
        return p.consumed;
    }

    private record Parsed(long error, long magnitude, boolean negative, int consumed) {}

    /** __bpf_strtoull. */
    private static Parsed parse(byte[] buf, long flags) {
        int base = (int) (flags & BASE_MASK);
        if (buf.length == 0 || (base != 0 && base != 8 && base != 10 && base != 16) || (flags & ~BASE_MASK) != 0) {
            return new Parsed(EINVAL, 0, false, 0);
        }
        int i = 0;
        while (i < buf.length && isSpace(buf[i] & 0xff)) {
            i++;
        }
        boolean negative = i < buf.length && buf[i] == '-';
        if (negative) {
            i++;
        }
        if (i == buf.length) {
            return new Parsed(EINVAL, 0, negative, 0);
        }
        // The kernel copies at most 63 bytes to a NUL-terminated string before parsing.
        byte[] s = Arrays.copyOfRange(buf, i, Math.min(buf.length, i + 63));
        int at = 0;
        if (base == 0) {
            if (byteAt(s, 0) == '0') {
                base = (lower(byteAt(s, 1)) == 'x' && isHexDigit(byteAt(s, 2))) ? 16 : 8;
            } else {
                base = 10;
            }
        }
        if (base == 16 && byteAt(s, 0) == '0' && lower(byteAt(s, 1)) == 'x') {
            at = 2;
        }
        long value = 0;
        boolean overflow = false;
        int digits = 0;
        for (int k = at; k < s.length && s[k] != 0; k++, digits++) {
            int d = digit(s[k] & 0xff);
            if (d >= base) {
                break;
            }
            // _parse_integer_limit: remember overflow and keep consuming digits
            if ((value & (-1L << 60)) != 0 && Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, base)) > 0) {
                overflow = true;
            }
            value = value * base + d;
        }
        if (overflow) {
            return new Parsed(ERANGE, 0, negative, 0);
        }
        if (digits == 0) {
            return new Parsed(EINVAL, 0, negative, 0);
        }
        return new Parsed(0, value, negative, i + at + digits);
    }

    private static int byteAt(byte[] s, int i) {
        return i < s.length ? s[i] & 0xff : 0;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static boolean isHexDigit(int c) {
        return digit(c) < 16;
    }

    /** A digit's value, or 16 for anything else (never a digit in any base). */
    private static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        int l = lower(c);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : 16;
    }

    /** The kernel's isspace: \t \n \v \f \r, space, and 0xa0 (Latin-1's no-break space). */
    private static boolean isSpace(int c) {
        return c == ' ' || c >= '\t' && c <= '\r' || c == 0xa0;
    }
}
