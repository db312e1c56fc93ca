package org.ebpf4j.verifier.scalar;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random abstract scalars, each with concrete members: values that the state must contain. Shapes cover
 * constants, full unknowns, hulls of a few edge-biased witnesses, tnum-only and range-only states; witnesses
 * favour 0, -1, the 32- and 64-bit sign boundaries and values next to them.
 */
final class Samples {
    private static final long[] EDGES = {
        0, 1, 2, 3, -1, -2, 7, 8, 0xff, 0x100, 0xffff, 0x1_0000,
        Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7fff_ffffL, 0x8000_0000L, 0xffff_ffffL, 0x1_0000_0000L,
        0x1_0000_0001L, 0xffff_ffff_8000_0000L, 0xffff_ffff_0000_0000L, 0x7fff_ffff_ffff_ffffL,
        Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 0x8000_0000_0000_0001L, 63, 64, 31, 32
    };

    /** An abstract state and some of its concrete members. */
    record Sample(Scalar state, long[] members) {}

    private final SplittableRandom random;

    Samples(long seed) {
        random = new SplittableRandom(seed);
    }

    long value() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> EDGES[random.nextInt(EDGES.length)];
            case 2 -> EDGES[random.nextInt(EDGES.length)] + random.nextInt(-3, 4);
            case 3 -> random.nextInt(-300, 300);
            case 4 -> random.nextLong() & 0xffff_ffffL;
            default -> random.nextLong();
        };
    }

    int immediate() {
        return (int) value();
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    Sample sample() {
        long[] witnesses = new long[1 + random.nextInt(4)];
        for (int i = 0; i < witnesses.length; i++) {
            witnesses[i] = i > 0 && random.nextBoolean() ? witnesses[0] + random.nextInt(-20, 20) : value();
        }
        Scalar state = switch (random.nextInt(8)) {
            case 0 -> Scalar.constant(witnesses[0]);
            case 1 -> Scalar.unknown();
            case 2 -> Scalar.of(hull(witnesses).bits());
            case 3 -> Scalar.unsignedRange(hull(witnesses).umin(), hull(witnesses).umax());
            case 4 -> Scalar.signedRange(hull(witnesses).smin(), hull(witnesses).smax());
            case 5 -> randomTnum(witnesses);
            default -> hull(witnesses);
        };
        for (long w : witnesses) {
            if (!state.contains(w)) {
                // Unconstrained shapes (constant, unknown, random tnum) keep only the witnesses they hold.
                if (state.isConst() || state.bits().isUnknown()) {
                    continue;
                }
                throw new AssertionError("generator lost witness " + w + " of " + state);
            }
        }
        return new Sample(state, members(state, witnesses));
    }

    /** The tightest state holding exactly these witnesses' facts, synchronised. */
    static Scalar hull(long[] values) {
        Scalar s = Scalar.constant(values[0]);
        for (long v : values) {
            Scalar c = Scalar.constant(v);
            s = new Scalar(s.bits().union(c.bits()),
                    Math.min(s.smin(), v), Math.max(s.smax(), v),
                    Unsigned.min(s.umin(), v), Unsigned.max(s.umax(), v),
                    Math.min(s.s32min(), (int) v), Math.max(s.s32max(), (int) v),
                    Math.min(s.u32min(), v & 0xffff_ffffL), Math.max(s.u32max(), v & 0xffff_ffffL));
        }
        return s.synced();
    }

    private Scalar randomTnum(long[] witnesses) {
        long mask = switch (random.nextInt(4)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextLong() & 0xffff_ffffL;
            case 2 -> (1L << random.nextInt(64)) - 1;
            default -> random.nextLong() & random.nextLong();
        };
        return Scalar.of(new Tnum(witnesses[0] & ~mask, mask).union(hull(witnesses).bits()));
    }

    private long[] members(Scalar state, long[] witnesses) {
        List<Long> out = new ArrayList<>();
        for (long w : witnesses) {
            if (state.contains(w)) {
                out.add(w);
            }
        }
        long[] ends = {state.umin(), state.umax(), state.smin(), state.smax(), state.bits().value(),
            state.bits().value() | state.bits().mask()};
        for (long e : ends) {
            if (state.contains(e)) {
                out.add(e);
            }
        }
        Tnum t = state.bits();
        for (int tries = 0; tries < 64 && out.size() < 12; tries++) {
            long candidate = t.value() | (random.nextLong() & t.mask());
            if (tries % 2 == 1) {
                candidate = state.umin() + random.nextInt(0, 64);
            }
            if (state.contains(candidate)) {
                out.add(candidate);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
