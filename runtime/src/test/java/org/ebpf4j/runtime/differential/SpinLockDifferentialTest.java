package org.ebpf4j.runtime.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.MapException;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.CollectionSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * BPF_F_LOCK against the kernel: fixtures/src/spin_lock.c (a hash and an array whose values hold a
 * {@code struct bpf_spin_lock} at offset 8, and a plain array) loaded into both backends, its program run (its
 * updates with and without BPF_F_LOCK record each helper's answer), then the same sequence of Java lookups and
 * updates with every flag combination on both sides. Each step's outcome (the bytes read, or the errno) and every
 * map's contents must be the same: the lock's bytes are never written from outside and always read as zero.
 */
class SpinLockDifferentialTest {
    private static final Path OBJECT = Path.of("..", "fixtures", "obj", "spin_lock.v3.o");
    private static final long ANY = 0;
    private static final long NOEXIST = 1;
    private static final long EXIST = 2;
    private static final long LOCK = 4;

    private static CollectionSpec spec() throws IOException {
        return ObjectLoader.load(OBJECT);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void mapOperationsWithTheLockMatchTheKernel(Engine engine) throws IOException {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends::skipReason);
        CollectionSpec spec = spec();
        List<String> kernel = steps(BothBackends.kernel().get(), spec, LoadOptions.defaults());
        List<String> jvm = steps(new JvmBackend().withEngine(engine), spec, LoadOptions.defaults().unverified());
        assertEquals(String.join("\n", kernel), String.join("\n", jvm));
    }

    /** Without the kernel: what the kernel answered when this test was written, so the JVM side is held anyway. */
    @Test
    void theLockReadsAsZeroAndIsNeverWrittenFromJava() throws IOException {
        try (Collection c = new JvmBackend().load(spec(), LoadOptions.defaults().unverified())) {
            BpfMap hash = c.map("locked_hash");
            hash.update(u32(3), value(0xaa, 0xffffffff, 5, 0xbb), ANY);
            byte[] read = hash.lookup(u32(3)).orElseThrow();
            assertEquals(HexFormat.of().formatHex(value(0xaa, 0, 5, 0xbb)), HexFormat.of().formatHex(read));
            hash.update(u32(3), value(0xab, 0x12345678, 6, 0xbc), EXIST | LOCK);
            assertEquals(HexFormat.of().formatHex(value(0xab, 0, 6, 0xbc)),
                    HexFormat.of().formatHex(hash.lookup(u32(3), LOCK).orElseThrow()));
            MapException plain = org.junit.jupiter.api.Assertions.assertThrows(MapException.class,
                    () -> c.map("plain").lookup(u32(0), LOCK));
            assertEquals("EINVAL", plain.errno().name());
            assertTrue(((org.ebpf4j.runtime.maps.JvmMap) hash).hasSpinLock());
            assertFalse(((org.ebpf4j.runtime.maps.JvmMap) c.map("plain")).hasSpinLock());
        }
    }

    private static List<String> steps(Backend backend, CollectionSpec spec, LoadOptions options) {
        List<String> out = new ArrayList<>();
        try (Collection c = backend.load(spec, options)) {
            BpfMap hash = c.map("locked_hash");
            BpfMap array = c.map("locked_array");
            BpfMap plain = c.map("plain");
            out.add("run: " + BothBackends.outcome(() -> c.program("lock_updates").testRun(TestRun.of(new byte[64]))));
            out.add("after the run: " + BothBackends.contents(c));
            byte[] v = value(0x1234, 0xdeadbeef, 42, 0x5678);
            out.add("plain lookup lock: " + outcome(() -> plain.lookup(u32(0), LOCK)));
            out.add("plain update lock: " + outcome(() -> update(plain, u32(0), new byte[8], LOCK)));
            out.add("plain update lock past the end: " + outcome(() -> update(plain, u32(9), new byte[8], LOCK)));
            out.add("hash update lock new: " + outcome(() -> update(hash, u32(3), v, LOCK)));
            out.add("hash lookup: " + outcome(() -> hash.lookup(u32(3))));
            out.add("hash lookup lock: " + outcome(() -> hash.lookup(u32(3), LOCK)));
            out.add("hash update lock noexist: " + outcome(() -> update(hash, u32(3), v, LOCK | NOEXIST)));
            out.add("hash update lock exist missing: " + outcome(() -> update(hash, u32(4), v, LOCK | EXIST)));
            out.add("hash update lock exist: " + outcome(() -> update(hash, u32(3), value(1, 2, 3, 4), LOCK | EXIST)));
            out.add("hash lookup after: " + outcome(() -> hash.lookup(u32(3), LOCK)));
            out.add("hash update any: " + outcome(() -> update(hash, u32(1), value(5, 6, 7, 8), ANY)));
            out.add("hash lookup flags 2: " + outcome(() -> hash.lookup(u32(1), 2)));
            out.add("hash lookup lock missing: " + outcome(() -> hash.lookup(u32(7), LOCK)));
            out.add("hash update flags lock|8: " + outcome(() -> update(hash, u32(1), v, LOCK | 8)));
            out.add("array update lock: " + outcome(() -> update(array, u32(0), v, LOCK)));
            out.add("array update lock exist: " + outcome(() -> update(array, u32(3), v, LOCK | EXIST)));
            out.add("array update lock noexist: " + outcome(() -> update(array, u32(0), v, LOCK | NOEXIST)));
            out.add("array update lock past the end: " + outcome(() -> update(array, u32(4), v, LOCK)));
            out.add("array lookup lock past the end: " + outcome(() -> array.lookup(u32(4), LOCK)));
            out.add("array lookup lock: " + outcome(() -> array.lookup(u32(0), LOCK)));
            out.add("array after: " + BothBackends.contents(c));
            out.add("second run: " + BothBackends.outcome(
                    () -> c.program("lock_updates").testRun(TestRun.of(new byte[64]))));
            out.add("after the second run: " + BothBackends.contents(c));
            out.add("freeze: " + outcome(() -> {
                array.freeze();
                return "ok";
            }));
        }
        return out;
    }

    private static Object update(BpfMap map, byte[] key, byte[] value, long flags) {
        map.update(key, value, flags);
        return "ok";
    }

    /** The bytes read, "none", "ok", or the errno. */
    private static String outcome(Supplier<Object> step) {
        try {
            Object r = step.get();
            if (r instanceof java.util.Optional<?> o) {
                return o.map(b -> HexFormat.of().formatHex((byte[]) b)).orElse("none");
            }
            return String.valueOf(r);
        } catch (MapException e) {
            return "errno " + e.errno();
        }
    }

    private static byte[] u32(int i) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array();
    }

    /** struct locked { u64 before; struct bpf_spin_lock lock; u32 count; u64 after; }. */
    private static byte[] value(long before, int lock, int count, long after) {
        return ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(before).putInt(lock).putInt(count)
                .putLong(after).array();
    }
}
