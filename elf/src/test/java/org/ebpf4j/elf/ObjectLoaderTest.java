package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** What the loader makes of the committed fixtures, checked against their C sources. */
class ObjectLoaderTest {

    private static CollectionSpec load(String object) {
        return ObjectLoader.load(object + ".o", Fixtures.bytes(object));
    }

    /** Name, type, key, value, max entries, flags of a map. */
    private static void assertMap(MapSpec m, MapType type, int key, int value, int max, int flags) {
        assertEquals(List.of(type, key, value, max, flags),
                List.of(m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags()), m.name());
    }

    @Test
    void btfMapsOfEveryKind() {
        CollectionSpec c = load("btf_maps.v3");
        assertEquals("btf_maps.v3", c.name());
        assertEquals(ByteOrder.LITTLE_ENDIAN, c.byteOrder());
        Map<String, MapSpec> m = c.maps();
        assertMap(m.get("pinned_hash"), MapType.HASH, 4, 16, 128, 0);
        assertEquals(MapPinning.BY_NAME, m.get("pinned_hash").pinning());
        assertMap(m.get("sized_array"), MapType.ARRAY, 4, 8, 16, 0);
        assertMap(m.get("percpu_hash"), MapType.PERCPU_HASH, 8, 8, 64, 0);
        assertMap(m.get("percpu_array"), MapType.PERCPU_ARRAY, 4, 16, 4, 0);
        assertMap(m.get("lru"), MapType.LRU_HASH, 4, 4, 1000, 0);
        assertMap(m.get("lru_percpu"), MapType.LRU_PERCPU_HASH, 4, 8, 1000, 0);
        assertMap(m.get("routes"), MapType.LPM_TRIE, 8, 4, 255, MapFlags.BPF_F_NO_PREALLOC);
        assertMap(m.get("events"), MapType.RINGBUF, 0, 0, 256 * 1024, 0);
        assertMap(m.get("perf_events"), MapType.PERF_EVENT_ARRAY, 4, 4, 0, 0);
        assertMap(m.get("queue"), MapType.QUEUE, 0, 4, 32, 0);
        assertMap(m.get("stack"), MapType.STACK, 0, 8, 32, 0);
        assertMap(m.get("bloom"), MapType.BLOOM_FILTER, 0, 4, 100, 0);
        assertEquals(3, m.get("bloom").mapExtra());
        assertTrue(m.values().stream().allMatch(x -> x.origin() == MapSpec.Origin.BTF));
        assertNotEquals(0, m.get("pinned_hash").btfValueTypeId(), "the value's BTF type is kept");

        MapSpec outer = m.get("outer_array");
        assertMap(outer, MapType.ARRAY_OF_MAPS, 4, 4, 4, 0);
        assertMap(outer.innerMap().orElseThrow(), MapType.ARRAY, 4, 4, 1, 0);
        assertEquals(List.of(new MapSpec.MapEntry.Map(0, "inner_a"), new MapSpec.MapEntry.Map(2, "inner_b")),
                outer.contents());
        MapSpec outerHash = m.get("outer_hash");
        assertMap(outerHash, MapType.HASH_OF_MAPS, 4, 4, 8, 0);
        assertMap(outerHash.innerMap().orElseThrow(), MapType.HASH, 4, 8, 32, 0);
        assertEquals(List.of(new MapSpec.MapEntry.Program(0, "tail_first"),
                new MapSpec.MapEntry.Program(2, "tail_second")), m.get("jump_table").contents());
        assertMap(m.get("jump_table"), MapType.PROG_ARRAY, 4, 4, 4, 0);
    }

    @Test
    void programsAreTypedBySectionAndReferToMapsByName() {
        CollectionSpec c = load("btf_maps.v3");
        assertEquals(List.of("tail_first", "tail_second", "dispatch", "record", "route", "nested"),
                List.copyOf(c.programs().keySet()));
        ProgramSpec record = c.program("record");
        assertEquals(ProgramType.TRACEPOINT, record.type());
        assertEquals("tracepoint/sched/sched_switch", record.sectionName());
        assertEquals("GPL", record.license());
        assertEquals(List.of("pinned_hash", "percpu_array", "events", "perf_events"),
                record.mapReferences().stream().map(ProgramSpec.MapReference::mapName).toList());
        for (ProgramSpec.MapReference ref : record.mapReferences()) {
            Instruction lddw = record.instructions().at(ref.slot());
            assertEquals(Opcode.LDDW, lddw.opcode());
            assertEquals(Opcode.PSEUDO_MAP_FD, lddw.src(), "map references load the map itself");
            assertEquals(0, lddw.imm(), "the fd is the backend's to fill in");
        }
        assertEquals(ProgramType.XDP, c.program("route").type());
        assertEquals(Optional.of(AttachType.XDP), c.program("route").expectedAttachType());
    }

    @Test
    void globalDataBecomesOneElementArrays() {
        CollectionSpec c = load("globals.v3");
        Map<String, MapSpec> m = c.maps();
        assertEquals(List.of(".data", ".rodata", ".data.custom", ".rodata.custom", ".bss", ".rodata.str1.1",
                ".kconfig"), List.copyOf(m.keySet()));
        assertMap(m.get(".data"), MapType.ARRAY, 4, 44, 1, MapFlags.BPF_F_MMAPABLE);
        assertMap(m.get(".rodata"), MapType.ARRAY, 4, 40, 1, MapFlags.BPF_F_MMAPABLE | MapFlags.BPF_F_RDONLY_PROG);
        assertTrue(m.get(".rodata").frozen());
        assertFalse(m.get(".data").frozen());

        byte[] data = value(m.get(".data"));
        assertEquals(1, littleLong(data, 0), "packets = 1");
        assertEquals(List.of(1L, 2L, 3L, 0L), List.of((long) data[8], (long) data[12], (long) data[16],
                (long) data[20]), "histogram = {1, 2, 3}");
        assertEquals(5, data[40], "hidden_state = 5, a static variable");
        byte[] rodata = value(m.get(".rodata"));
        assertEquals(1500, littleLong(rodata, 0) & 0xffff_ffffL, "max_len");
        assertEquals(1000, littleLong(rodata, 32), "limits[3]");
        assertEquals(42, littleLong(value(m.get(".data.custom")), 0));
        assertArrayEquals(new byte[24], value(m.get(".bss")), ".bss is zeros");
        String strings = new String(value(m.get(".rodata.str1.1")), java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(strings.startsWith("kernel %d hz %d\n\0drops %llu\n\0"), strings);

        MapSpec kconfig = m.get(".kconfig");
        assertEquals(MapSpec.Origin.KCONFIG, kconfig.origin());
        assertEquals(12, kconfig.valueSize(), "in BTF order: int at 0, _Bool at 4, u32 aligned to 8");
        assertTrue(kconfig.frozen());
        assertEquals(List.of(new KconfigExtern("LINUX_KERNEL_VERSION", 0, 4, false),
                new KconfigExtern("CONFIG_BPF_SYSCALL", 4, 1, true), new KconfigExtern("CONFIG_HZ", 8, 4, true)),
                load("globals.v3").kconfigExterns());
    }

    @Test
    void globalDataReferencesAreMapValueAddressesWithOffsets() {
        ProgramSpec account = load("globals.v3").program("account");
        List<String> refs = new ArrayList<>();
        for (ProgramSpec.MapReference r : account.mapReferences()) {
            Instruction lddw = account.instructions().at(r.slot());
            assertEquals(Opcode.PSEUDO_MAP_VALUE, lddw.src());
            assertEquals((long) r.offset() << 32, lddw.imm(), "the offset rides in the second half's imm");
            refs.add(r.mapName() + "+" + r.offset());
        }
        assertEquals(List.of(".data+0", ".data+40", ".data+8", ".rodata+0", ".bss+0", ".bss+8", ".rodata+8",
                ".rodata.custom+0", ".data.custom+0"), refs);
        ProgramSpec report = load("globals.v3").program("report");
        assertEquals(List.of(".kconfig+0", ".kconfig+4", ".kconfig+8", ".rodata.str1.1+0", ".bss+0",
                ".rodata.str1.1+17"), report.mapReferences().stream().map(r -> r.mapName() + "+" + r.offset())
                .toList());
    }

    @Test
    void legacyMapsAndTheVersionSection() {
        CollectionSpec c = load("legacy_maps.v3");
        assertMap(c.map("legacy_hash"), MapType.HASH, 4, 8, 256, 0);
        assertMap(c.map("legacy_array"), MapType.ARRAY, 4, 4, 8, 0);
        assertMap(c.map("legacy_percpu"), MapType.PERCPU_HASH, 8, 8, 1024, MapFlags.BPF_F_NO_PREALLOC);
        assertTrue(c.maps().values().stream().allMatch(x -> x.origin() == MapSpec.Origin.LEGACY));
        assertEquals(0x060c00, c.program("count_packets").kernelVersion());
    }

    @Test
    void subprogramsAreLinkedOnceEachInTheOrderFirstCalled() {
        CollectionSpec c = load("subprogs.v3");
        assertEquals(List.of("first", "top", "upper", "leaf", "middle"), functionNames(c.program("first")));
        assertEquals(List.of("second", "static_helper", "global_helper"), functionNames(c.program("second")));
        assertEquals(List.of("sock_one", "leaf"), functionNames(c.program("sock_one")));
        assertEquals(List.of("sock_two"), functionNames(c.program("sock_two")));
        for (ProgramSpec p : c.programs().values()) {
            assertCallsLandOnFunctionStarts(p);
        }
    }

    private static List<String> functionNames(ProgramSpec p) {
        return p.functions().stream().map(ProgramSpec.FunctionStart::name).toList();
    }

    /** Every local call of a linked program lands on the first slot of one of its functions. */
    private static void assertCallsLandOnFunctionStarts(ProgramSpec p) {
        List<Integer> starts = p.functions().stream().map(ProgramSpec.FunctionStart::slot).toList();
        var code = p.instructions();
        for (int i = 0; i < code.size(); i++) {
            Instruction insn = code.get(i);
            if (insn.isLocalCall()) {
                int target = code.slotOf(i) + 1 + insn.imm32();
                assertTrue(starts.contains(target), p.name() + ": call at " + code.slotOf(i) + " lands on " + target
                        + ", not a function start " + starts);
            }
        }
        org.ebpf4j.isa.StructureCheck.check(code);
    }

    @Test
    void sourceLinesAndFunctionTypesComeFromBtfExt() {
        ProgramSpec first = load("subprogs.v3").program("first");
        assertTrue(first.functions().stream().allMatch(f -> f.btfTypeId() != 0), "func_info for every function");
        ProgramSpec.SourceLine line = first.lines().getFirst();
        assertEquals(0, line.slot());
        assertTrue(line.file().endsWith("subprogs.c"), line.file());
        assertTrue(first.lines().stream().anyMatch(l -> l.text().contains("return top(ctx->ingress_ifindex) & 3;")),
                "the program's own lines");
        assertTrue(first.lines().stream().anyMatch(l -> l.text().contains("return x * 3 + 1;")
                && l.slot() >= first.functions().get(3).slot()), "leaf's line is moved to leaf's copy");
    }

    @Test
    void coreRelocationsStaySymbolic() {
        CollectionSpec c = load("core.v3");
        assertEquals(7, c.program("core_fields").coreRelocations().size());
        assertEquals(13, c.program("core_info").coreRelocations().size());
        assertEquals(ProgramType.TRACING, c.program("core_fields").type());
    }

    @TestFactory
    Stream<DynamicTest> everyFixtureLoadsAndItsProgramsAreWellFormed() {
        return Fixtures.objects().stream().map(object -> DynamicTest.dynamicTest(object, () -> {
            CollectionSpec c = load(object);
            assertFalse(c.programs().isEmpty(), "every fixture has programs");
            for (ProgramSpec p : c.programs().values()) {
                assertCallsLandOnFunctionStarts(p);
                for (ProgramSpec.MapReference r : p.mapReferences()) {
                    assertTrue(c.maps().containsKey(r.mapName()), p.name() + " refers to " + r.mapName());
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> bigEndianObjectsGiveTheSamePrograms() {
        return Stream.of("globals", "subprogs", "btf_maps").map(name -> DynamicTest.dynamicTest(name, () -> {
            CollectionSpec little = load(name + ".v3");
            CollectionSpec big = load(name + ".bpfeb.v3");
            assertEquals(ByteOrder.BIG_ENDIAN, big.byteOrder());
            for (ProgramSpec p : little.programs().values()) {
                ProgramSpec q = big.program(p.name());
                assertEquals(p.instructions(), q.instructions(), p.name());
                assertEquals(p.mapReferences(), q.mapReferences(), p.name());
                assertEquals(functionNames(p), functionNames(q), p.name());
            }
            assertEquals(little.maps().keySet(), big.maps().keySet());
        }));
    }

    private static byte[] value(MapSpec m) {
        return ((MapSpec.MapEntry.Bytes) m.contents().getFirst()).value();
    }

    private static long littleLong(byte[] b, int at) {
        return java.nio.ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }
}
