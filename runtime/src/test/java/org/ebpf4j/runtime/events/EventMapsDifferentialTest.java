package org.ebpf4j.runtime.events;

import static org.ebpf4j.runtime.events.EventFixture.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.MapException;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The map side of RINGBUF, PERF_EVENT_ARRAY and STACK_TRACE against the kernel: which attributes {@code BPF_MAP_CREATE}
 * accepts (and the errno of those it refuses), and what the generic map commands answer on them.
 */
class EventMapsDifferentialTest {
    static List<Arguments> creations() {
        return List.of(
                Arguments.of(MapType.RINGBUF, 0, 0, 4096, 0),
                Arguments.of(MapType.RINGBUF, 0, 0, 1 << 16, 0),
                Arguments.of(MapType.RINGBUF, 0, 0, 4095, 0),
                Arguments.of(MapType.RINGBUF, 0, 0, 2048, 0),
                Arguments.of(MapType.RINGBUF, 0, 0, 3 * 4096, 0),
                Arguments.of(MapType.RINGBUF, 0, 0, 0, 0),
                Arguments.of(MapType.RINGBUF, 4, 0, 4096, 0),
                Arguments.of(MapType.RINGBUF, 0, 8, 4096, 0),
                Arguments.of(MapType.RINGBUF, 0, 0, 4096, MapFlags.BPF_F_RDONLY),
                Arguments.of(MapType.RINGBUF, 0, 0, 4096, MapFlags.BPF_F_RDONLY_PROG),
                Arguments.of(MapType.RINGBUF, 0, 0, 4096, MapFlags.BPF_F_MMAPABLE),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4, 0),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 0, 0),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 8, 4, 4, 0),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 8, 4, 0),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4, MapFlags.BPF_F_PRESERVE_ELEMS),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4, MapFlags.BPF_F_RDONLY),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4, MapFlags.BPF_F_RDONLY_PROG),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4, MapFlags.BPF_F_MMAPABLE),
                Arguments.of(MapType.PERF_EVENT_ARRAY, 4, 4, 4, MapFlags.BPF_F_NO_PREALLOC),
                Arguments.of(MapType.STACK_TRACE, 4, 8, 16, 0),
                Arguments.of(MapType.STACK_TRACE, 4, 127 * 8, 16, 0),
                Arguments.of(MapType.STACK_TRACE, 4, 128 * 8, 16, 0),
                Arguments.of(MapType.STACK_TRACE, 4, 12, 16, 0),
                Arguments.of(MapType.STACK_TRACE, 4, 4, 16, 0),
                Arguments.of(MapType.STACK_TRACE, 8, 8, 16, 0),
                Arguments.of(MapType.STACK_TRACE, 4, 8, 0, 0),
                Arguments.of(MapType.STACK_TRACE, 4, 8, 3, MapFlags.BPF_F_RDONLY),
                Arguments.of(MapType.STACK_TRACE, 4, 8, 3, MapFlags.BPF_F_RDONLY_PROG),
                Arguments.of(MapType.STACK_TRACE, 4, 8, 3, MapFlags.BPF_F_NO_PREALLOC),
                Arguments.of(MapType.STACK_TRACE, 4, 64, 3, MapFlags.BPF_F_STACK_BUILD_ID),
                Arguments.of(MapType.STACK_TRACE, 4, 40, 3, MapFlags.BPF_F_STACK_BUILD_ID),
                Arguments.of(MapType.STACK_TRACE, 4, 128 * 32, 3, MapFlags.BPF_F_STACK_BUILD_ID));
    }

    @ParameterizedTest(name = "{0} key {1} value {2} max {3} flags {4}")
    @MethodSource("creations")
    void creationAgrees(MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        var spec = mapOnly("m", type, keySize, valueSize, maxEntries, flags);
        Function<Backend, String> create = backend -> outcome(() -> {
            try (Collection c = backend.load(spec)) {
                return "created with " + c.map("m").maxEntries() + " entries";
            }
        });
        // The kernel's perf event array without max_entries gets the possible CPUs; the JVM's its CPU slots.
        JvmBackend jvm = new JvmBackend().withCpus(((org.ebpf4j.linux.LinuxBackend) kernel).possibleCpus());
        assertEquals(create.apply(kernel), create.apply(jvm));
    }

    @Test
    void ringBuffersHaveNoElementsToLookUpUpdateOrIterate() {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        var spec = mapOnly("m", MapType.RINGBUF, 0, 0, 4096, 0);
        try (Collection onKernel = kernel.load(spec); Collection onJvm = new JvmBackend().load(spec)) {
            assertEquals(operations(onKernel.map("m"), new byte[0], new byte[0]),
                    operations(onJvm.map("m"), new byte[0], new byte[0]));
        }
    }

    @Test
    void perfEventArraysIterateLikeArraysAndHoldNoReadableValues() {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        var spec = mapOnly("m", MapType.PERF_EVENT_ARRAY, 4, 4, 4, 0);
        try (Collection onKernel = kernel.load(spec); Collection onJvm = new JvmBackend().load(spec)) {
            // Value 0 is standard input for the kernel, no perf event; for the JVM, no descriptor at all.
            assertEquals(operations(onKernel.map("m"), u32(1), u32(0)), operations(onJvm.map("m"), u32(1), u32(0)));
            assertEquals(outcome(() -> "deleted " + onKernel.map("m").delete(u32(9))),
                    outcome(() -> "deleted " + onJvm.map("m").delete(u32(9))));
            assertEquals(outcome(() -> next(onKernel.map("m"), u32(3))), outcome(() -> next(onJvm.map("m"), u32(3))));
            assertEquals(outcome(() -> next(onKernel.map("m"), u32(7))), outcome(() -> next(onJvm.map("m"), u32(7))));
        }
    }

    @Test
    void anEmptyStackTraceMapAnswersLikeTheKernels() {
        Backend kernel = kernel();
        assumeTrue(kernel != null, skipReason());
        var spec = mapOnly("m", MapType.STACK_TRACE, 4, 16, 5, 0);
        try (Collection onKernel = kernel.load(spec); Collection onJvm = new JvmBackend().load(spec)) {
            BpfMap k = onKernel.map("m");
            BpfMap j = onJvm.map("m");
            assertEquals(operations(k, u32(1), new byte[16]), operations(j, u32(1), new byte[16]));
            // 5 entries, 8 buckets: ids 0-7 are buckets, 8 and beyond are not.
            assertEquals(outcome(() -> "deleted " + k.delete(u32(8))), outcome(() -> "deleted " + j.delete(u32(8))));
            assertEquals(outcome(() -> "lookup " + k.lookup(u32(8)).isPresent()),
                    outcome(() -> "lookup " + j.lookup(u32(8)).isPresent()));
        }
    }

    private static List<String> operations(BpfMap map, byte[] key, byte[] value) {
        return List.of(
                outcome(() -> "lookup " + map.lookup(key).isPresent()),
                outcome(() -> {
                    map.update(key, value, 0);
                    return "updated";
                }),
                outcome(() -> "deleted " + map.delete(key)),
                outcome(() -> next(map, null)),
                outcome(() -> next(map, key)));
    }

    private static String next(BpfMap map, byte[] key) {
        return "next " + map.nextKey(key).map(java.util.HexFormat.of()::formatHex).orElse("none");
    }

    private static String outcome(Supplier<String> operation) {
        try {
            return operation.get();
        } catch (MapException e) {
            return "errno " + e.errno();
        } catch (LinuxBpfException e) {
            return "errno " + e.errno().map(Enum::name).orElse(String.valueOf(e.errnoValue()));
        }
    }
}
