package org.ebpf4j.verifier.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Synchronisation, join and containment (what state pruning relies on) against concrete members. */
class LatticeSoundnessTest {

    @Test
    void syncKeepsEveryMemberAndIsStable() {
        Samples samples = new Samples(0x51c);
        for (int i = 0; i < 5000; i++) {
            Samples.Sample s = samples.sample();
            Scalar synced = s.state().synced();
            for (long v : s.members()) {
                assertTrue(synced.contains(v), () -> "sync lost " + v + " of " + s.state());
            }
            assertTrue(synced.isWithin(s.state()), () -> "sync widened " + s.state());
        }
    }

    @Test
    void joinHoldsBothSidesAndWithinIsSound() {
        Samples samples = new Samples(0x701);
        int within = 0;
        for (int i = 0; i < 5000; i++) {
            Samples.Sample a = samples.sample();
            Samples.Sample b = samples.sample();
            Scalar join = a.state().join(b.state());
            for (long v : a.members()) {
                assertTrue(join.contains(v), () -> "join lost " + v);
            }
            for (long v : b.members()) {
                assertTrue(join.contains(v), () -> "join lost " + v);
            }
            if (a.state().isWithin(b.state())) {
                within++;
                for (long v : a.members()) {
                    assertTrue(b.state().contains(v), () -> a.state() + " within " + b.state() + " but " + v);
                }
            }
        }
        assertTrue(within > 100, "containment never held: " + within);
    }

    @Test
    void tnumOperationsContainTheirConcreteResults() {
        Samples samples = new Samples(0x7e);
        for (int i = 0; i < 20000; i++) {
            Samples.Sample x = samples.sample();
            Samples.Sample y = samples.sample();
            Tnum a = x.state().bits();
            Tnum b = y.state().bits();
            int shift = samples.nextInt(64);
            Tnum union = a.union(b);
            for (long u : x.members()) {
                assertTrue(union.contains(u));
                assertTrue(a.neg().contains(-u));
                assertTrue(a.lshift(shift).contains(u << shift));
                assertTrue(a.rshift(shift).contains(u >>> shift));
                assertTrue(a.arshift(shift, 64).contains(u >> shift));
                assertTrue(a.arshift(shift & 31, 32).contains(((int) u >> (shift & 31)) & 0xffff_ffffL));
                assertTrue(a.subreg().contains(u & 0xffff_ffffL));
                assertTrue(a.cast(2).contains(u & 0xffff));
                for (long v : y.members()) {
                    assertTrue(a.add(b).contains(u + v), () -> a + " + " + b);
                    assertTrue(a.sub(b).contains(u - v), () -> a + " - " + b);
                    assertTrue(a.mul(b).contains(u * v), () -> a + " * " + b);
                    assertTrue(a.and(b).contains(u & v));
                    assertTrue(a.or(b).contains(u | v));
                    assertTrue(a.xor(b).contains(u ^ v));
                    assertTrue(a.overlaps(b) || u != v, () -> a + " and " + b + " share " + u);
                    if (u == v) {
                        assertTrue(a.intersect(b).contains(u));
                    }
                }
            }
            if (a.includes(b)) {
                for (long v : y.members()) {
                    assertTrue(a.contains(v));
                }
            }
        }
        assertEquals(Tnum.UNKNOWN, Tnum.range(0, -1));
    }
}
