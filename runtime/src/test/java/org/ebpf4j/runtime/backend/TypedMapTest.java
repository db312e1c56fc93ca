package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.MapException;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TypedMap;
import org.ebpf4j.api.codec.CArray;
import org.ebpf4j.api.codec.Codecs;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.MapUpdateFlags;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Typed views over the maps of the layouts fixture, on the JVM backend and in the kernel: what the clang program
 * stores is what Java records read back, and what Java stores through records is what the map holds.
 */
class TypedMapTest {
    record Flow(int saddr, short sport, byte proto, long bytes) {}

    record Sample(byte kind, long ts, short cpu, @CArray(16) String comm, @CArray(3) int[] pids, Flow flow,
            boolean seen, double ratio, byte delta) {}

    record Point(short x, short y) {}

    private static final Flow PROGRAM_FLOW = new Flow(0x0a000001, (short) 4242, (byte) 17, 1500);

    static Collection load(String backend) {
        CollectionSpec spec = Fixtures.load("layouts.v3.o");
        Codecs.record(Sample.class).checkAgainst(spec.btf().orElseThrow(), spec.map("samples").btfValueTypeId());
        if (backend.equals("jvm")) {
            return new JvmBackend().load(spec, LoadOptions.defaults().unverified());
        }
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends.skipReason());
        return BothBackends.kernel().get().load(spec, LoadOptions.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "kernel"})
    void recordsReadWhatTheProgramStored(String backend) {
        try (Collection collection = load(backend)) {
            assertEquals(2, collection.program("record").testRun(TestRun.of(new byte[64])).returnValue());
            TypedMap<Flow, Sample> samples = TypedMap.of(collection.map("samples"), Codecs.record(Flow.class),
                    Codecs.record(Sample.class));
            Sample sample = samples.get(PROGRAM_FLOW).orElseThrow();
            assertEquals(7, sample.kind());
            assertEquals(0x1122334455667788L, sample.ts());
            assertEquals(3, sample.cpu());
            assertEquals("layouts", sample.comm());
            assertArrayEquals(new int[] {10, 20, 30}, sample.pids());
            assertEquals(PROGRAM_FLOW, sample.flow());
            assertTrue(sample.seen());
            assertEquals(0.0, sample.ratio());
            assertEquals(-5, sample.delta());
            assertEquals(List.of(PROGRAM_FLOW), samples.keys());

            TypedMap<Void, Flow> flows = TypedMap.ofValues(collection.map("flows"), Codecs.record(Flow.class));
            assertEquals(Optional.of(PROGRAM_FLOW), flows.pop());
            assertEquals(Optional.empty(), flows.pop());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "kernel"})
    void javaWritesThroughRecordsWithTheMapsErrno(String backend) {
        try (Collection collection = load(backend)) {
            TypedMap<Flow, Sample> samples = TypedMap.of(collection.map("samples"), Codecs.record(Flow.class),
                    Codecs.record(Sample.class));
            Flow other = new Flow(0x0a000002, (short) 53, (byte) 17, 0);
            Sample sample = new Sample((byte) 1, 2, (short) 3, "java", new int[] {4, 5, 6}, other, false, 1.5,
                    (byte) 7);
            samples.put(other, sample, MapUpdateFlags.BPF_NOEXIST);
            MapException exists = assertThrows(MapException.class,
                    () -> samples.put(other, sample, MapUpdateFlags.BPF_NOEXIST));
            assertEquals(Errno.EEXIST, exists.errno());
            assertEquals(1.5, samples.get(other).orElseThrow().ratio());
            assertEquals(1, samples.entries().size());
            assertTrue(samples.remove(other));
            assertTrue(samples.entries().isEmpty());

            TypedMap<Integer, Point> points = TypedMap.of(collection.map("points"), Codecs.int32(),
                    Codecs.record(Point.class));
            int cpus = points.getPerCpu(1).orElseThrow().size();
            List<Point> perCpu = IntStream.range(0, cpus)
                    .mapToObj(cpu -> new Point((short) cpu, (short) -cpu)).toList();
            points.putPerCpu(1, perCpu, MapUpdateFlags.BPF_ANY);
            assertEquals(Optional.of(perCpu), points.getPerCpu(1));
            Point zero = new Point((short) 0, (short) 0);
            assertTrue(points.getPerCpu(0).orElseThrow().stream().allMatch(zero::equals));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm"})
    void codecsOfTheWrongSizeAreRefusedAtViewCreation(String backend) {
        try (Collection collection = load(backend)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TypedMap.of(collection.map("samples"), Codecs.int64(), Codecs.record(Sample.class)));
            assertEquals("HASH map 'samples' has 16-byte keys, but __u64 is 8 bytes", e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> TypedMap.ofValues(collection.map("samples"), Codecs.record(Sample.class)));
        }
    }
}
