package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.KconfigExtern;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

/** The backend's own behaviour: errors, resources, .kconfig values, and the kernel facts it computes. */
class LinuxBackendTest {

    @Test
    void aFailedMapCreationNamesTheCommandTheMapAndTheErrno() {
        LinuxBackend backend = KernelTests.backend();
        MapSpec bad = new MapSpec("counts", MapType.HASH, 0, 8, 4, 0, MapPinning.NONE, 0, 0, Optional.empty(),
                List.of(), false, 0, 0, MapSpec.Origin.BTF);
        LinuxBpfException e = assertThrows(LinuxBpfException.class, () -> backend.load(mapsOnly(bad)));
        assertEquals("BPF_MAP_CREATE of map 'counts' (HASH) failed: EINVAL (22)", e.getMessage());
        assertEquals(BpfCommand.MAP_CREATE, e.command());
    }

    @Test
    void aProgramWhoseMapReferencesAreNotPatchedIsRejectedWithTheLog() {
        LinuxBackend backend = KernelTests.backend();
        CollectionSpec globals = FixtureObjects.load("globals.v3.o");
        ProgramSpec account = globals.program("account");
        // Without its map references the lddws keep imm 0: fd 0 is not a map, so the kernel must refuse what it
        // accepts once the backend patches them. Proves that an accepted load means something.
        ProgramSpec unpatched = new ProgramSpec(account.name(), account.sectionName(), account.type(),
                account.expectedAttachType(), account.attachTarget(), account.loadFlags(), account.license(),
                account.kernelVersion(), account.instructions(), List.of(), account.functions(), account.lines(),
                account.coreRelocations());
        CollectionSpec spec = new CollectionSpec("unpatched", Map.of("account", unpatched), Map.of(), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
        VerifierException e = assertThrows(VerifierException.class, () -> backend.load(spec));
        assertTrue(e.log().contains("fd 0 is not pointing to valid bpf_map"), e.log());
        assertTrue(e.getMessage().startsWith("program 'account' rejected by the verifier: fd 0 is not pointing"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(EBADF (9))") || e.getMessage().endsWith("(EINVAL (22))"),
                e.getMessage());
    }

    @Test
    void closingTheCollectionClosesEveryMapAndProgram() {
        LinuxBackend backend = KernelTests.backend();
        Collection loaded = backend.load(FixtureObjects.load("globals.v3.o"));
        List<Fd> fds = new java.util.ArrayList<>();
        loaded.maps().values().forEach(m -> fds.add(((LinuxMap) m).fd()));
        loaded.programs().values().forEach(p -> fds.add(((LinuxProgram) p).fd()));
        loaded.close();
        assertTrue(fds.stream().allMatch(Fd::isClosed), fds.toString());
        BpfMap data = loaded.map(".data");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> data.lookup(new byte[4]));
        assertEquals("map '.data' (ARRAY) is closed", e.getMessage());
    }

    @Test
    void progArraysAndMapInMapsAreFilledFromTheSpec() {
        LinuxBackend backend = KernelTests.backend();
        try (TestPins pins = new TestPins();
             Collection loaded = backend.load(FixtureObjects.load("btf_maps.v3.o"), pins.options())) {
            // jump_table = { [0] = tail_first, [2] = tail_second }; outer_array = { inner_a, [2] = inner_b }.
            // User space reads the id of the program or map in a slot; only which slots are filled matters here.
            BpfMap jumpTable = loaded.map("jump_table");
            assertTrue(jumpTable.lookup(u32(0)).isPresent());
            assertTrue(jumpTable.lookup(u32(1)).isEmpty());
            assertTrue(jumpTable.lookup(u32(2)).isPresent());
            BpfMap outer = loaded.map("outer_array");
            assertTrue(outer.lookup(u32(0)).isPresent());
            assertTrue(outer.lookup(u32(1)).isEmpty());
            assertTrue(outer.lookup(u32(2)).isPresent());
            // perf_events declares no max_entries: one entry per possible CPU, as libbpf sizes it.
            assertEquals(backend.possibleCpus(), loaded.map("perf_events").maxEntries());
        }
    }

    @Test
    void kconfigExternsGetTheRunningKernelsValuesAndOverrides() {
        LinuxBackend backend = KernelTests.backend();
        CollectionSpec globals = FixtureObjects.load("globals.v3.o");
        String release = RunningKernel.release();
        KernelConfig config = KernelConfig.read(release);
        try (Collection loaded = backend.load(globals, LoadOptions.defaults().withKconfig(Map.of("CONFIG_HZ", 1234L)))) {
            byte[] value = loaded.map(".kconfig").lookup(new byte[4]).orElseThrow();
            assertEquals(RunningKernel.versionCode(release), read(value, extern(globals, "LINUX_KERNEL_VERSION")));
            assertEquals(1234, read(value, extern(globals, "CONFIG_HZ")));
            long bpfSyscall = config.value("CONFIG_BPF_SYSCALL").map(v -> v.equals("y") ? 1L : 0L).orElse(0L);
            assertEquals(bpfSyscall, read(value, extern(globals, "CONFIG_BPF_SYSCALL")));
            // .kconfig is frozen: programs may treat it as constant.
            assertThrows(org.ebpf4j.api.MapException.class,
                    () -> loaded.map(".kconfig").update(new byte[4], value, 0));
        }
    }

    @Test
    void aStrongKconfigExternWithoutAValueIsAnError() {
        CollectionSpec globals = FixtureObjects.load("globals.v3.o");
        MapSpec kconfig = globals.maps().values().stream().filter(m -> m.origin() == MapSpec.Origin.KCONFIG)
                .findFirst().orElseThrow();
        var strong = List.of(new KconfigExtern("CONFIG_EBPF4J_NOWHERE", 0, 4, false));
        var weak = List.of(new KconfigExtern("CONFIG_EBPF4J_NOWHERE", 0, 4, true));
        var spec = new CollectionSpec("k", Map.of(), Map.of(kconfig.name(), kconfig), strong, Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
        BpfException e = assertThrows(BpfException.class, () -> KconfigValues.of(spec, kconfig, Map.of(),
                KernelConfig.read(RunningKernel.release()), "6.18.0"));
        assertTrue(e.getMessage().contains("CONFIG_EBPF4J_NOWHERE"), e.getMessage());
        var weakSpec = new CollectionSpec("k", Map.of(), Map.of(kconfig.name(), kconfig), weak, Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
        byte[] zero = KconfigValues.of(weakSpec, kconfig, Map.of(), KernelConfig.read("6.18.0"), "6.18.0");
        assertEquals(0, ByteBuffer.wrap(zero).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }

    @Test
    void kernelConfigReadsValuesTristatesAndUnsetOptions() throws IOException {
        String text = "# comment\nCONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_HZ=250\nCONFIG_S=\"abc\"\n";
        KernelConfig config = KernelConfig.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of("y"), config.value("CONFIG_A"));
        assertEquals(Optional.of("m"), config.value("CONFIG_B"));
        assertEquals(Optional.of("n"), config.value("CONFIG_C"));
        assertEquals(Optional.of("250"), config.value("CONFIG_HZ"));
        assertEquals(Optional.of("\"abc\""), config.value("CONFIG_S"));
        assertEquals(Optional.empty(), config.value("CONFIG_D"));
    }

    @Test
    void kernelVersionCodeIsTheKernelVersionMacro() {
        assertEquals(0x061203, RunningKernel.versionCode("6.18.3"));
        assertEquals(0x0612ff, RunningKernel.versionCode("6.18.300-custom"));
        assertEquals(0x060c00, RunningKernel.versionCode("6.12-rc1"));
    }

    @Test
    void possibleCpuListsAreCounted() {
        assertEquals(1, RunningKernel.possibleCpus("0"));
        assertEquals(2, RunningKernel.possibleCpus("0-1"));
        assertEquals(7, RunningKernel.possibleCpus("0-3,8,10-11"));
    }

    @Test
    void theRejectionReasonIsTheLogsLastStatementBeforeItsStatistics() {
        String log = "0: R1=ctx() R10=fp0\n5: (85) call unknown#1\ninvalid func unknown#1\n"
                + "processed 6 insns (limit 1000000) max_states_per_insn 0\n\n";
        assertEquals("invalid func unknown#1", ProgramLoader.reason(log));
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static CollectionSpec mapsOnly(MapSpec map) {
        return new CollectionSpec("maps", Map.of(), Map.of(map.name(), map), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    private static KconfigExtern extern(CollectionSpec spec, String name) {
        return spec.kconfigExterns().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static long read(byte[] value, KconfigExtern extern) {
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        return switch (extern.size()) {
            case 1 -> b.get(extern.offset());
            case 2 -> b.getShort(extern.offset());
            case 4 -> b.getInt(extern.offset());
            default -> b.getLong(extern.offset());
        };
    }
}
