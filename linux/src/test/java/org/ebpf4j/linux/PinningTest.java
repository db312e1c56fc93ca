package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapUpdateFlags;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pinning in bpffs: maps declared {@code LIBBPF_PIN_BY_NAME} (the {@code pinned_hash} of {@code btf_maps.c}) are
 * pinned at load and reused by the next load as libbpf does, or refused when the pinned map differs; programs, maps
 * and links pin and unpin through the API. Each test works in a directory of its own under /sys/fs/bpf, removed
 * afterwards.
 */
class PinningTest {
    private TestPins pins;
    private Path directory;

    @BeforeEach
    void directory() {
        KernelTests.backend();
        pins = new TestPins();
        directory = pins.directory();
    }

    @AfterEach
    void removeDirectory() {
        pins.close();
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }

    private LinuxCollection loadBtfMaps() {
        CollectionSpec spec = FixtureObjects.load("btf_maps.v3.o");
        return KernelTests.backend().load(spec, LoadOptions.defaults().withPinPath(directory));
    }

    @Test
    void aMapPinnedByNameIsPinnedAtLoadAndReusedByTheNextLoad() {
        Path pin = directory.resolve("pinned_hash");
        byte[] value = new byte[16];
        value[0] = 42;
        int id;
        try (LinuxCollection first = loadBtfMaps()) {
            assertTrue(Files.exists(pin), "pinned at " + pin);
            LinuxMap map = (LinuxMap) first.map("pinned_hash");
            assertEquals(Optional.of(pin), map.pinnedAt());
            map.update(u32(7), value, MapUpdateFlags.BPF_ANY);
            id = map.info().id();
        }
        // The pin keeps the map alive after the collection closed; the next load takes it over, contents and all.
        try (LinuxCollection second = loadBtfMaps()) {
            LinuxMap map = (LinuxMap) second.map("pinned_hash");
            assertEquals(id, map.info().id());
            assertArrayEquals(value, map.lookup(u32(7)).orElseThrow());
            try (LinuxMap opened = KernelObjects.openPinnedMap(pin)) {
                assertEquals(id, opened.info().id());
            }
            map.unpin();
            assertFalse(Files.exists(pin));
        }
    }

    @Test
    void aDifferentMapPinnedUnderTheNameIsRefused() {
        try (Collection other = KernelTests.backend().load(FixtureObjects.load("maps.v3.o"))) {
            var someMap = other.maps().values().stream().filter(m -> m.keySize() != 4 || m.valueSize() != 16)
                    .findFirst().orElseThrow();
            someMap.pin(directory.resolve("pinned_hash"));
            BpfException e = assertThrows(BpfException.class, this::loadBtfMaps);
            assertTrue(e.getMessage().startsWith("map 'pinned_hash' (HASH): cannot reuse the map pinned at "
                    + directory.resolve("pinned_hash") + ", whose attributes differ: "), e.getMessage());
            someMap.unpin();
        }
    }

    @Test
    void aProgramPinnedStaysLoadedAndCanBeOpenedAgain() {
        Path pin = directory.resolve("prog");
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.XDP,
                Optional.empty(), b -> { }, 0, 0))) {
            LinuxProgram program = (LinuxProgram) loaded.program("prog");
            program.pin(pin);
            program.pin(pin); // again at the same place: nothing to do
            assertThrows(IllegalStateException.class, () -> program.pin(directory.resolve("elsewhere")));
            try (Fd again = ObjectCommands.get(pin)) {
                assertEquals(program.info().id(), ObjectInfo.program(again, "pinned").id());
            }
            int id = program.info().id();
            loaded.close();
            assertTrue(KernelObjects.programIds().contains(id), "the pin holds the program");
            try (Fd again = ObjectCommands.get(pin)) {
                assertEquals(id, ObjectInfo.program(again, "pinned").id());
            }
            program.unpin();
            assertFalse(Files.exists(pin));
        }
    }

    @Test
    void aPinnedLinkKeepsTheProgramAttachedUntilUnpinned() throws InterruptedException {
        Tracing.requireTracefs();
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.TRACEPOINT,
                Optional.empty(), Tracing::onlyThisProcess, 0, 0))) {
            LinuxLink link = LinuxLinks.tracepoint(loaded.program("prog"), "syscalls", "sys_enter_getpid");
            link.pin(directory.resolve("link"));
            link.close();
            long before = BuiltPrograms.count(loaded);
            Tracing.getpid(5);
            assertTrue(BuiltPrograms.count(loaded) >= before + 5, "still attached through the pin");
            link.unpin();
            // The kernel releases the link once the pin's inode goes, which it does in deferred work: wait for it.
            assertTrue(eventuallyDetached(loaded), "detached once the pin is gone");
        }
    }

    private static boolean eventuallyDetached(Collection loaded) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            long before = BuiltPrograms.count(loaded);
            Tracing.getpid(3);
            if (BuiltPrograms.count(loaded) == before) {
                return true;
            }
            Thread.sleep(25);
        }
        return false;
    }

    @Test
    void aPinOutsideBpffsSaysSo() {
        try (Collection loaded = KernelTests.backend().load(BuiltPrograms.counter(ProgramType.XDP,
                Optional.empty(), b -> { }, 0, 0))) {
            Path outside = Path.of(System.getProperty("java.io.tmpdir"), "ebpf4j-not-bpffs-" + UUID.randomUUID());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loaded.program("prog").pin(outside.resolve("prog")));
            assertTrue(e.getMessage().endsWith(": not in a BPF filesystem (mount one, or pin under /sys/fs/bpf)"),
                    e.getMessage());
            assertFalse(Files.exists(outside), "nothing made outside bpffs");
            assertTrue(Bpffs.contains(directory.resolve("anything")));
        }
    }

    @Test
    void bpffsMountsWhereAsked() throws IOException {
        Path mountPoint = directory.resolve("nested");
        Files.createDirectories(mountPoint);
        assertFalse(Bpffs.isMountedAt(mountPoint));
        Bpffs.mount(mountPoint);
        try {
            assertTrue(Bpffs.isMountedAt(mountPoint));
        } finally {
            Bpffs.unmount(mountPoint);
        }
        assertFalse(Bpffs.isMountedAt(mountPoint));
        assertTrue(Bpffs.isMountedAt(Bpffs.DEFAULT));
    }
}
