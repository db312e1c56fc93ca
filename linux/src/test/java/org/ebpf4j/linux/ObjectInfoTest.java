package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.btf.BtfKind;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * What the kernel reports about what ebpf4j loaded ({@code BPF_OBJ_GET_INFO_BY_FD}), found again through the id
 * walk; run-time statistics; batch lookups against element-by-element lookups.
 */
class ObjectInfoTest {

    @Test
    void aProgramsInfoIsWhatWasLoaded() {
        CollectionSpec spec = FixtureObjects.load("globals.v3.o");
        ProgramSpec account = spec.program("account");
        try (LinuxCollection loaded = KernelTests.backend().load(FixtureObjects.withOnly(spec, account),
                LoadOptions.defaults())) {
            LinuxProgram program = (LinuxProgram) loaded.program("account");
            KernelProgramInfo info = program.info();
            assertEquals(Optional.of(ProgramType.XDP), info.type());
            assertEquals("account", info.name());
            assertTrue(info.gplCompatible());
            assertNotEquals(0, info.btfId(), "loaded with the object's BTF");
            assertEquals(account.functions().size(), info.funcInfoCount());
            assertEquals(account.lines().size(), info.lineInfoCount());
            assertTrue(info.xlatedLength() >= account.instructions().slotCount() * 8L - 64, "xlated " + info);
            assertEquals(16, info.tag().length());
            assertTrue(info.memlock() > 0);
            Set<Integer> usedMaps = new HashSet<>();
            for (ProgramSpec.MapReference r : account.mapReferences()) {
                usedMaps.add(((LinuxMap) loaded.map(r.mapName())).info().id());
            }
            assertEquals(usedMaps, new HashSet<>(info.mapIds()));
            assertTrue(KernelObjects.programIds().contains(info.id()));
            assertEquals(info.tag(), KernelObjects.programInfo(info.id()).tag());
        }
    }

    @Test
    void mapsCarryTheirBtfTypes() {
        CollectionSpec spec = FixtureObjects.load("globals.v3.o");
        try (LinuxCollection loaded = KernelTests.backend().load(spec, LoadOptions.defaults())) {
            KernelMapInfo data = ((LinuxMap) loaded.map(".data")).info();
            assertNotEquals(0, data.btfId());
            assertEquals(spec.btf().orElseThrow().typeId(".data", BtfKind.DATASEC).orElseThrow(),
                    data.btfValueTypeId());
            assertEquals(0, data.btfKeyTypeId());
            assertEquals(spec.map(".data").valueSize(), data.valueSize());
            assertTrue(((LinuxMap) loaded.map(".rodata")).info().frozen());
            assertTrue(!data.frozen());
            assertTrue(KernelObjects.mapIds().contains(data.id()));
            assertEquals(data, KernelObjects.mapInfo(data.id()));
        }
        CollectionSpec maps = FixtureObjects.load("btf_maps.v3.o");
        try (TestPins pins = new TestPins(); LinuxCollection loaded = KernelTests.backend().load(
                FixtureObjects.withOnly(maps, maps.programs().values().iterator().next()), pins.options())) {
            for (var declared : maps.maps().values()) {
                KernelMapInfo info = ((LinuxMap) loaded.map(declared.name())).info();
                boolean typed = declared.btfKeyTypeId() != 0 || declared.btfValueTypeId() != 0;
                // Prog arrays are refused with BTF (map_check_no_btf): created again without, as libbpf does.
                if (typed && !CollectionLoader.WITHOUT_BTF.contains(declared.type())
                        && declared.type() != MapType.PROG_ARRAY) {
                    assertEquals(List.of(declared.btfKeyTypeId(), declared.btfValueTypeId()),
                            List.of(info.btfKeyTypeId(), info.btfValueTypeId()), declared.name());
                    assertNotEquals(0, info.btfId(), declared.name());
                } else {
                    assertEquals(List.of(0, 0), List.of(info.btfKeyTypeId(), info.btfValueTypeId()), declared.name());
                }
            }
        }
    }

    @Test
    void statisticsCountRunsWhileEnabled() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.XDP,
                Optional.empty(), b -> { }, 2, 2))) {
            LinuxProgram program = (LinuxProgram) loaded.program("prog");
            try (Fd stats = KernelObjects.enableStatistics()) {
                long before = program.info().runCount();
                program.testRun(TestRun.of(new byte[64]).repeat(10));
                KernelProgramInfo info = program.info();
                assertEquals(before + 10, info.runCount());
                assertTrue(info.runTimeNanos() > 0);
            }
        }
    }

    @Test
    void aBatchLookupSeesWhatLookupsSee() {
        CollectionSpec spec = FixtureObjects.load("maps.v3.o");
        try (LinuxCollection loaded = KernelTests.backend().load(spec, LoadOptions.defaults())) {
            int checked = 0;
            for (BpfMap m : loaded.maps().values()) {
                LinuxMap map = (LinuxMap) m;
                boolean hash = map.type() == MapType.HASH || map.type() == MapType.LRU_HASH;
                boolean array = map.type() == MapType.ARRAY;
                if (!(hash || array) || map.keySize() != 4 || spec.map(map.name()).frozen()) {
                    continue;
                }
                for (int k = 0; k < Math.min(map.maxEntries(), 11); k++) {
                    byte[] value = new byte[map.valueSize()];
                    value[0] = (byte) (k + 1);
                    map.update(u32(k), value, MapUpdateFlags.BPF_ANY);
                }
                TreeMap<Integer, List<Byte>> expected = new TreeMap<>();
                for (byte[] key : map.keys()) {
                    expected.put(ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(),
                            boxed(map.lookup(key).orElseThrow()));
                }
                for (int batch : new int[] {1, 3, 64}) {
                    TreeMap<Integer, List<Byte>> seen = new TreeMap<>();
                    for (LinuxMap.Entry e : map.lookupBatch(batch)) {
                        seen.put(ByteBuffer.wrap(e.key()).order(ByteOrder.nativeOrder()).getInt(), boxed(e.value()));
                    }
                    assertEquals(expected, seen, map + " in batches of " + batch);
                }
                checked++;
            }
            assertTrue(checked > 0, "maps.v3.o has hash or array maps");
        }
    }

    private static List<Byte> boxed(byte[] bytes) {
        List<Byte> out = new java.util.ArrayList<>();
        for (byte b : bytes) {
            out.add(b);
        }
        return out;
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}
