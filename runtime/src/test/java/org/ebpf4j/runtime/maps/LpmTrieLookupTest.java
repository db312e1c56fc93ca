package org.ebpf4j.runtime.maps;

import static org.ebpf4j.runtime.maps.Specs.asLong;
import static org.ebpf4j.runtime.maps.Specs.ipv4;
import static org.ebpf4j.runtime.maps.Specs.spec;
import static org.ebpf4j.runtime.maps.Specs.u64;
import static org.ebpf4j.spec.MapUpdateFlags.BPF_ANY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;

/** A program's LPM lookup (the key on its stack) answers as the Java lookup does, and allocates nothing. */
class LpmTrieLookupTest {
    private static final long KEY = Invocation.framePointer(0) - 8;

    private static JvmMap routes() {
        JvmMap m = JvmMaps.create(spec(MapType.LPM_TRIE, 8, 8, 8, MapFlags.BPF_F_NO_PREALLOC), 2);
        m.update(ipv4(8, 10, 0, 0, 0), u64(8), BPF_ANY);
        m.update(ipv4(16, 10, 1, 0, 0), u64(16), BPF_ANY);
        m.update(ipv4(21, 10, 1, 2, 99), u64(21), BPF_ANY);
        m.update(ipv4(24, 10, 1, 2, 99), u64(24), BPF_ANY);
        m.update(ipv4(32, 10, 1, 2, 3), u64(32), BPF_ANY);
        m.update(ipv4(0, 0, 0, 0, 0), u64(0), BPF_ANY);
        return m;
    }

    /** What a program's lookup of {@code key} finds: the value's first 8 bytes, or empty for NULL. */
    private static Optional<Long> programLookup(JvmMap m, Invocation invocation, byte[] key) {
        invocation.memory().write(KEY, key, 0, key.length);
        long value = m.lookup(invocation, KEY);
        return value == 0 ? Optional.empty() : Optional.of(invocation.memory().load(value, 8));
    }

    @Test
    void aProgramsLookupFindsWhatTheJavaLookupFinds() {
        try (JvmMap m = routes()) {
            Invocation invocation = new Invocation();
            byte[][] keys = {ipv4(32, 10, 1, 2, 3), ipv4(32, 10, 1, 2, 4), ipv4(32, 10, 1, 7, 3),
                ipv4(32, 10, 1, 3, 3), ipv4(32, 10, 2, 2, 3), ipv4(32, 11, 1, 2, 3), ipv4(20, 10, 1, 2, 3),
                ipv4(23, 10, 1, 2, 3), ipv4(0, 10, 1, 2, 3)};
            long[] expected = {32, 24, 21, 21, 8, 0, 16, 21, 0};
            for (int i = 0; i < keys.length; i++) {
                assertEquals(Optional.of(expected[i]), m.lookup(keys[i]).map(Specs::asLong), "Java, key " + i);
                assertEquals(Optional.of(expected[i]), programLookup(m, invocation, keys[i]), "program, key " + i);
            }
            m.delete(ipv4(0, 0, 0, 0, 0));
            assertEquals(Optional.empty(), programLookup(m, invocation, ipv4(32, 11, 1, 2, 3)));
        }
    }

    @Test
    void aProgramsLookupsAllocateNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        try (JvmMap m = routes()) {
            Invocation invocation = new Invocation();
            invocation.memory().write(KEY, ipv4(32, 10, 1, 2, 4), 0, 8);
            long found = 0;
            for (int i = 0; i < 20_000; i++) {
                found += m.lookup(invocation, KEY) != 0 ? 1 : 0; // loads and compiles the path first
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                found += m.lookup(invocation, KEY) != 0 ? 1 : 0;
            }
            long perLookup = (threads.getCurrentThreadAllocatedBytes() - before) / 100_000;
            assertEquals(120_000, found);
            assertTrue(perLookup < 8, perLookup + " bytes per lookup");
        }
    }
}
