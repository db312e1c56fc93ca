package org.ebpf4j.verifier.state;

import org.ebpf4j.verifier.scalar.Scalar;

/**
 * The bounds part of a scalar's log text, as the kernel's print_scalar_ranges writes it: the eight bounds in a
 * fixed order, those at their unknown value omitted, and a later bound of the same kind (signed or unsigned, same
 * sign) with the same value named together with the first: {@code smin=umin=smin32=umin32=1}.
 */
final class ScalarRanges {
    private ScalarRanges() {}

    /** Signed values in S16_MIN..S16_MAX print in decimal, others in hex (is_snum_decimal). */
    static final long SIGNED_DECIMAL_MIN = Short.MIN_VALUE;
    static final long SIGNED_DECIMAL_MAX = Short.MAX_VALUE;
    /** Unsigned values up to U16_MAX print in decimal (is_unum_decimal). */
    static final long UNSIGNED_DECIMAL_MAX = 0xffff;

    private record Bound(String name, long value, boolean omit) {
        boolean signed() {
            return name.charAt(0) == 's';
        }
    }

    static void print(Scalar s, StringBuilder out) {
        Bound[] bounds = {
            new Bound("smin", s.smin(), s.smin() == Long.MIN_VALUE),
            new Bound("smax", s.smax(), s.smax() == Long.MAX_VALUE),
            new Bound("umin", s.umin(), s.umin() == 0),
            new Bound("umax", s.umax(), s.umax() == -1),
            new Bound("smin32", s.s32min(), s.s32min() == Integer.MIN_VALUE),
            new Bound("smax32", s.s32max(), s.s32max() == Integer.MAX_VALUE),
            new Bound("umin32", s.u32min(), s.u32min() == 0),
            new Bound("umax32", s.u32max(), s.u32max() == 0xffff_ffffL),
        };
        boolean[] omitted = new boolean[bounds.length];
        // After an id already printed, the first bound needs its comma too.
        String sep = out.charAt(out.length() - 1) == '(' ? "" : ",";
        for (int i = 0; i < bounds.length; i++) {
            Bound first = bounds[i];
            if (first.omit() || omitted[i]) {
                continue;
            }
            boolean negative = first.signed() && first.value() < 0;
            out.append(sep).append(first.name()).append('=');
            sep = ",";
            for (int j = i + 2; j < bounds.length; j += 2) {
                Bound other = bounds[j];
                if (other.omit() || omitted[j] || other.value() != first.value()
                        || (other.signed() && other.value() < 0) != negative) {
                    continue;
                }
                omitted[j] = true;
                out.append(other.name()).append('=');
            }
            out.append(first.signed() ? StatePrinter.signed(first.value()) : StatePrinter.unsigned(first.value()));
        }
    }
}
