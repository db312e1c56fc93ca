package org.ebpf4j.verifier.walk;

import java.util.Arrays;
import org.ebpf4j.verifier.Limits;

/**
 * What a subprogram may read through the pointers it is passed in r1-r5, as byte ranges relative to each pointer
 * (or everything), over the whole call, its own callees included: the summary {@link StackPointers} uses at a
 * bpf-to-bpf call to keep live only the caller's slots the callee can reach.
 */
final class ArgumentReads {
    private static final int REGISTERS = 6;
    private final long[] from = new long[REGISTERS];
    private final long[] to = new long[REGISTERS];

    ArgumentReads() {
        Arrays.fill(from, Long.MAX_VALUE);
        Arrays.fill(to, Long.MIN_VALUE);
    }

    /** Bytes {@code [start, end)} relative to argument {@code reg} may be read. */
    void read(int reg, long start, long end) {
        from[reg] = Math.min(from[reg], start);
        to[reg] = Math.max(to[reg], end);
    }

    /** Anything around argument {@code reg} may be read. */
    void everything(int reg) {
        read(reg, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Anything around every argument may be read (through a pointer whose origin is lost). */
    void everything() {
        for (int reg = 1; reg < REGISTERS; reg++) {
            everything(reg);
        }
    }

    /** The caller's slots the callee may read through argument {@code reg}, the caller's {@code r10 + offset}. */
    long slots(int reg, int offset) {
        if (from[reg] > to[reg]) {
            return 0;
        }
        if (from[reg] == Long.MIN_VALUE || to[reg] == Long.MAX_VALUE) {
            return StackValues.ALL_SLOTS;
        }
        long lo = offset + from[reg];
        long hi = offset + to[reg] - 1;
        if (lo < -Limits.MAX_BPF_STACK || hi >= 0) {
            return StackValues.ALL_SLOTS;
        }
        return StackValues.covered(offset, (int) from[reg], (int) (to[reg] - from[reg]));
    }
}
