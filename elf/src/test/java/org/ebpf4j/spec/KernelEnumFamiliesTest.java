package org.ebpf4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every family of Linux numbers has: unique numbers and names, no gaps, lookups that round-trip. */
class KernelEnumFamiliesTest {

    record Family(String name, KernelEnum[] constants, int expectedCount, boolean dense,
            IntFunction<Optional<? extends KernelEnum>> lookup) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> families() {
        return Stream.of(
                new Family("ProgramType", ProgramType.values(), 33, true, ProgramType::of),
                new Family("AttachType", AttachType.values(), 58, true, AttachType::of),
                new Family("MapType", MapType.values(), 34, true, MapType::of),
                new Family("LinkType", LinkType.values(), 15, true, LinkType::of),
                new Family("HelperFunction", HelperFunction.values(), 212, true, HelperFunction::of),
                // errno has holes (41, 58) and jumps to the kernel-internal 524
                new Family("Errno", Errno.values(), 132, false, Errno::of),
                new Family("MapPinning", MapPinning.values(), 2, true, MapPinning::of))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void numbersAndNamesAreUnique(Family family) {
        Set<Integer> numbers = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (KernelEnum constant : family.constants()) {
            assertTrue(numbers.add(constant.value()), "number defined twice: " + constant.value());
            assertTrue(names.add(constant.kernelName()), "name defined twice: " + constant.kernelName());
        }
        assertEquals(family.expectedCount(), family.constants().length, "count");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void denseFamiliesHaveNoGaps(Family family) {
        if (!family.dense()) {
            return;
        }
        int[] numbers = Arrays.stream(family.constants()).mapToInt(KernelEnum::value).sorted().toArray();
        for (int i = 0; i < numbers.length; i++) {
            assertEquals(i, numbers[i], "gap before " + numbers[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void lookupRoundTripsAndRejectsUnknownNumbers(Family family) {
        for (KernelEnum constant : family.constants()) {
            assertEquals(Optional.of(constant), family.lookup().apply(constant.value()));
        }
        int max = Arrays.stream(family.constants()).mapToInt(KernelEnum::value).max().orElseThrow();
        assertEquals(Optional.empty(), family.lookup().apply(-1));
        assertEquals(Optional.empty(), family.lookup().apply(max + 1));
        assertEquals(Optional.empty(), family.lookup().apply(Integer.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("families")
    void kernelNamesUseTheFamilyPrefix(Family family) {
        List<String> prefixes = switch (family.name()) {
            case "ProgramType" -> List.of("BPF_PROG_TYPE_");
            case "AttachType" -> List.of("BPF_");
            case "MapType" -> List.of("BPF_MAP_TYPE_");
            case "LinkType" -> List.of("BPF_LINK_TYPE_");
            case "HelperFunction" -> List.of("bpf_");
            case "MapPinning" -> List.of("LIBBPF_PIN_");
            default -> List.of("E");
        };
        for (KernelEnum constant : family.constants()) {
            assertTrue(prefixes.stream().anyMatch(constant.kernelName()::startsWith), constant.kernelName());
        }
    }

    @org.junit.jupiter.api.Test
    void requireNamesTheUnknownNumber() {
        var error = assertThrows(IllegalArgumentException.class, () -> MapType.require(34));
        assertTrue(error.getMessage().contains("map type 34"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProgramType.require(-1));
        assertThrows(IllegalArgumentException.class, () -> HelperFunction.require(212));
        assertThrows(IllegalArgumentException.class, () -> AttachType.require(58));
    }

    @org.junit.jupiter.api.Test
    void lastKnownOfEachFamilyIsLinux618s() {
        assertEquals(ProgramType.NETFILTER, ProgramType.require(32));
        assertEquals(AttachType.TRACE_UPROBE_SESSION, AttachType.require(57));
        assertEquals(MapType.ARENA, MapType.require(33));
        assertEquals(LinkType.SOCKMAP, LinkType.require(14));
        assertEquals(HelperFunction.CGRP_STORAGE_DELETE, HelperFunction.require(211));
    }
}
