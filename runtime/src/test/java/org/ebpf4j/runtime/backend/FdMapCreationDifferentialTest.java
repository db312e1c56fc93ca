package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.MapException;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.runtime.differential.BothBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prog arrays and maps of maps created with good and bad attributes in the kernel and in the JVM: both create the
 * map or both refuse it with the same errno; and the inner map template's shape rule (BPF_F_INNER_MAP lets array
 * sizes differ, nothing else may).
 */
class FdMapCreationDifferentialTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();

    private static MapSpec map(String name, MapType type, int key, int value, int max, int flags, MapSpec inner) {
        return new MapSpec(name, type, key, value, max, flags, MapPinning.NONE, 0, 0, Optional.ofNullable(inner),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
    }

    private static MapSpec array(int max, int flags) {
        return map("inner", MapType.ARRAY, 4, 8, max, flags, null);
    }

    private static CollectionSpec only(MapSpec... maps) {
        Map<String, MapSpec> byName = new java.util.LinkedHashMap<>();
        for (MapSpec m : maps) {
            byName.put(m.name(), m);
        }
        return new CollectionSpec("fd-maps", Map.of(), byName, List.of(), Optional.empty(), ByteOrder.LITTLE_ENDIAN);
    }

    static List<Arguments> creations() {
        return List.of(
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 4, 8, 0, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 8, 8, 0, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 8, 4, 8, 0, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 4, 0, 0, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 4, 8, MapFlags.BPF_F_RDONLY_PROG, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 4, 8, MapFlags.BPF_F_MMAPABLE, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 4, 8, MapFlags.BPF_F_INNER_MAP, null)),
                Arguments.of(map("m", MapType.PROG_ARRAY, 4, 4, 8, MapFlags.BPF_F_RDONLY, null)),
                Arguments.of(map("m", MapType.ARRAY_OF_MAPS, 4, 4, 8, 0, array(4, 0))),
                Arguments.of(map("m", MapType.ARRAY_OF_MAPS, 4, 8, 8, 0, array(4, 0))),
                Arguments.of(map("m", MapType.ARRAY_OF_MAPS, 4, 4, 0, 0, array(4, 0))),
                Arguments.of(map("m", MapType.ARRAY_OF_MAPS, 4, 4, 8, MapFlags.BPF_F_WRONLY_PROG, array(4, 0))),
                Arguments.of(map("m", MapType.ARRAY_OF_MAPS, 4, 4, 8, 0, map("inner", MapType.HASH, 8, 8, 16,
                        MapFlags.BPF_F_NO_PREALLOC, null))),
                Arguments.of(map("m", MapType.HASH_OF_MAPS, 4, 4, 8, 0, array(4, 0))),
                Arguments.of(map("m", MapType.HASH_OF_MAPS, 16, 4, 8, MapFlags.BPF_F_NO_PREALLOC, array(4, 0))),
                Arguments.of(map("m", MapType.HASH_OF_MAPS, 4, 8, 8, 0, array(4, 0))),
                Arguments.of(map("m", MapType.HASH_OF_MAPS, 0, 4, 8, 0, array(4, 0))),
                Arguments.of(map("m", MapType.HASH_OF_MAPS, 4, 4, 8, MapFlags.BPF_F_MMAPABLE, array(4, 0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creations")
    void bothCreateOrBothRefuseWithTheSameErrno(MapSpec spec) {
        assumeTrue(kernel != null, skipReason);
        assertEquals(outcome(kernel, only(spec)), outcome(new JvmBackend(), only(spec)), spec.toString());
    }

    private static String outcome(Backend backend, CollectionSpec spec) {
        try (Collection c = backend.load(spec)) {
            return "created";
        } catch (MapException e) {
            return e.errno().name();
        } catch (LinuxBpfException e) {
            return e.errno().map(Enum::name).orElse(String.valueOf(e.errnoValue()));
        }
    }

    @Test
    void innerMapsOfArraysMayDifferInSizeOnlyWithBpfFInnerMap() {
        assumeTrue(kernel != null, skipReason);
        MapSpec strict = map("strict", MapType.ARRAY_OF_MAPS, 4, 4, 2, 0, array(4, 0));
        MapSpec loose = map("loose", MapType.ARRAY_OF_MAPS, 4, 4, 2, 0, array(4, MapFlags.BPF_F_INNER_MAP));
        CollectionSpec spec = only(strict, loose, map("four", MapType.ARRAY, 4, 8, 4, 0, null),
                map("eight", MapType.ARRAY, 4, 8, 8, 0, null),
                map("eight_inner", MapType.ARRAY, 4, 8, 8, MapFlags.BPF_F_INNER_MAP, null),
                map("four_inner", MapType.ARRAY, 4, 8, 4, MapFlags.BPF_F_INNER_MAP, null));
        assertEquals(shapes(kernel, spec), shapes(new JvmBackend(), spec));
    }

    private static List<String> shapes(Backend backend, CollectionSpec spec) {
        try (Collection c = backend.load(spec)) {
            List<String> outcomes = new java.util.ArrayList<>();
            for (String outer : List.of("strict", "loose")) {
                for (String inner : List.of("four", "eight", "eight_inner", "four_inner")) {
                    try {
                        c.map(outer).update(new byte[4], c.map(inner), MapUpdateFlags.BPF_ANY);
                        outcomes.add(outer + "<-" + inner + ": ok");
                    } catch (MapException e) {
                        outcomes.add(outer + "<-" + inner + ": " + e.errno().name());
                    } catch (LinuxBpfException e) {
                        outcomes.add(outer + "<-" + inner + ": " + e.errno().map(Enum::name).orElse("?"));
                    }
                }
            }
            return outcomes;
        }
    }
}
