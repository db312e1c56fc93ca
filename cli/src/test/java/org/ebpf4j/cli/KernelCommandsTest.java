package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.ebpf4j.api.BpfMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.linux.Bpffs;
import org.ebpf4j.linux.KernelMapInfo;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxMap;
import org.ebpf4j.linux.LinuxProgram;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.MapUpdateFlags;
import org.junit.jupiter.api.Test;

/**
 * The kernel commands against bpftool, the tool they imitate: {@code prog show}, {@code map show} and
 * {@code map dump} print what {@code bpftool} prints for the same objects (loaded by this test), text and JSON.
 * Skipped where bpf() is not permitted or bpftool is not installed.
 */
class KernelCommandsTest {
    private static final Path OBJ = Path.of("..", "fixtures", "obj");

    private static LinuxBackend backend() {
        try {
            return LinuxBackend.open();
        } catch (RuntimeException e) {
            return abort(e.getMessage() + " (these tests need bpf(): run them as root)");
        }
    }

    static String bpftool(String... args) {
        List<String> command = new ArrayList<>(List.of("bpftool"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("bpftool " + String.join(" ", args) + " failed: "
                        + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            return abort("bpftool is not installed (apt-get install bpftool): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String ebpf4j(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, String.join(" ", args) + ": " + err);
        return out.toString();
    }

    /** bpftool's JSON is compact, ebpf4j's indented: the same once whitespace outside strings is gone. */
    static String compact(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString || !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void progShowPrintsWhatBpftoolPrints() throws IOException {
        LinuxBackend backend = backend();
        try (Collection loaded = backend.load(ObjectLoader.load(OBJ.resolve("globals.v3.o")))) {
            for (var p : loaded.programs().values()) {
                String id = Integer.toString(((LinuxProgram) p).info().id());
                assertEquals(bpftool("prog", "show", "id", id), ebpf4j("prog", "show", id));
                assertEquals(compact(bpftool("prog", "show", "id", id, "--json")),
                        compact(ebpf4j("prog", "show", id, "--json")));
            }
            String all = ebpf4j("prog", "list");
            for (var p : loaded.programs().values()) {
                assertTrue(all.contains(ebpf4j("prog", "show", Integer.toString(((LinuxProgram) p).info().id()))));
            }
        }
    }

    /**
     * bpftool 7.1's plain text gives a frozen map without BTF the {@code btf_id} of the map shown before it (its
     * JSON does not): those maps are compared in JSON only.
     */
    @Test
    void mapShowPrintsWhatBpftoolPrints() throws IOException {
        LinuxBackend backend = backend();
        try (Collection loaded = backend.load(ObjectLoader.load(OBJ.resolve("globals.v3.o")))) {
            for (BpfMap m : loaded.maps().values()) {
                KernelMapInfo info = ((LinuxMap) m).info();
                String id = Integer.toString(info.id());
                if (info.btfId() != 0 || !info.frozen()) {
                    assertEquals(bpftool("map", "show", "id", id), ebpf4j("map", "show", id), m.name());
                }
                assertEquals(compact(bpftool("map", "show", "id", id, "--json")),
                        compact(ebpf4j("map", "show", id, "--json")), m.name());
            }
        }
    }

    /** Maps without BTF, which bpftool dumps in hex as ebpf4j does. */
    @Test
    void mapDumpPrintsWhatBpftoolPrints() throws IOException {
        LinuxBackend backend = backend();
        CollectionSpec spec = ObjectLoader.load(OBJ.resolve("maps.v3.o"));
        CollectionSpec mapsWithoutBtf = new CollectionSpec(spec.name(), Map.of(), spec.maps(), List.of(),
                Optional.empty(), spec.byteOrder());
        int dumped = 0;
        try (Collection loaded = backend.load(mapsWithoutBtf, LoadOptions.defaults())) {
            for (BpfMap m : loaded.maps().values()) {
                LinuxMap map = (LinuxMap) m;
                boolean perCpu = map.type() == MapType.PERCPU_ARRAY || map.type() == MapType.PERCPU_HASH;
                boolean plain = map.type() == MapType.HASH || map.type() == MapType.ARRAY;
                if (!(plain || perCpu) || map.keySize() != 4) {
                    continue;
                }
                boolean frozen = spec.map(map.name()).frozen();
                for (int k = 0; k < Math.min(3, map.maxEntries()) && !frozen; k++) {
                    byte[] value = new byte[map.valueSize()];
                    for (int i = 0; i < value.length; i++) {
                        value[i] = (byte) (k * 16 + i);
                    }
                    byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(k).array();
                    if (perCpu) {
                        map.updatePerCpu(key, java.util.Collections.nCopies(backend.possibleCpus(), value),
                                MapUpdateFlags.BPF_ANY);
                    } else {
                        map.update(key, value, MapUpdateFlags.BPF_ANY);
                    }
                }
                String id = Integer.toString(map.info().id());
                assertEquals(bpftool("map", "dump", "id", id), ebpf4j("map", "dump", id), map.name());
                dumped++;
            }
        }
        assertTrue(dumped > 0, "maps.v3.o has hash or array maps");
    }

    /** Maps with BTF, which bpftool dumps described by their types, as ebpf4j does. */
    @Test
    void mapDumpOfMapsWithBtfPrintsWhatBpftoolPrints() throws IOException {
        LinuxBackend backend = backend();
        int dumped = 0;
        for (String object : List.of("globals.v3.o", "maps.v3.o", "btf_maps.v3.o")) {
            CollectionSpec spec = ObjectLoader.load(OBJ.resolve(object));
            Path pins = Bpffs.DEFAULT.resolve("ebpf4j-test-" + UUID.randomUUID().toString().substring(0, 8));
            try (Collection loaded = backend.load(spec, LoadOptions.defaults().withPinPath(pins))) {
                for (BpfMap m : loaded.maps().values()) {
                    LinuxMap map = (LinuxMap) m;
                    KernelMapInfo info = map.info();
                    if (info.btfValueTypeId() == 0 || map.keySize() == 0) {
                        continue;
                    }
                    if (!spec.map(map.name()).frozen() && map.keySize() == 4 && map.type() != MapType.PROG_ARRAY
                            && !map.type().name().contains("OF_MAPS") && !map.type().name().contains("PERCPU")) {
                        byte[] value = new byte[map.valueSize()];
                        for (int i = 0; i < value.length; i++) {
                            value[i] = (byte) (i * 7 + 1);
                        }
                        map.update(new byte[4], value, MapUpdateFlags.BPF_ANY);
                    }
                    String id = Integer.toString(info.id());
                    assertEquals(bpftool("map", "dump", "id", id), ebpf4j("map", "dump", id), object + " " + m.name());
                    dumped++;
                }
            } finally {
                try (Stream<Path> files = Files.exists(pins) ? Files.walk(pins) : Stream.empty()) {
                    for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        assertTrue(dumped > 5, "dumped " + dumped);
    }

    @Test
    void testRunRunsInTheKernel() {
        backend();
        // account returns 2 for a packet no longer than max_len (1500).
        String out = ebpf4j("test-run", "--kernel", OBJ.resolve("globals.v3.o").toString(), "--program", "account",
                "--data-hex", "00".repeat(64), "--json");
        assertTrue(compact(out).startsWith("{\"retval\":2,\"duration_ns\":"), out);
    }

    @Test
    void loadPinsEveryProgram() throws IOException {
        backend();
        Path directory = Bpffs.DEFAULT.resolve("ebpf4j-test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            String out = ebpf4j("load", "--kernel", OBJ.resolve("globals.v3.o").toString(), directory.toString(),
                    "--pinmaps", directory.resolve("maps").toString());
            // bpffs refuses '.' in names: .rodata is pinned as _rodata, as libbpf names it.
            for (String map : List.of("_data", "_rodata", "_bss", "_kconfig")) {
                Path pin = directory.resolve("maps").resolve(map);
                assertTrue(Files.exists(pin), out);
                assertEquals(bpftool("map", "show", "pinned", pin.toString()),
                        ebpf4j("map", "show", "pinned", pin.toString()));
            }
            for (String program : List.of("account", "report")) {
                Path pin = directory.resolve(program);
                assertTrue(Files.exists(pin), out);
                String shown = bpftool("prog", "show", "pinned", pin.toString());
                assertTrue(shown.contains("name " + program), shown);
                assertEquals(shown, ebpf4j("prog", "show", "pinned", pin.toString()));
                assertEquals(compact(bpftool("prog", "show", "pinned", pin.toString(), "--json")),
                        compact(ebpf4j("prog", "show", "pinned", pin.toString(), "--json")));
                assertTrue(out.contains("program " + program + " ("), out);
            }
            MainTest.Result notAProgram = MainTest.cli("", "prog", "show", "pinned",
                    directory.resolve("maps").resolve("_data").toString());
            assertEquals(Main.EXIT_FAILURE, notAProgram.status());
            assertTrue(notAProgram.err().startsWith("Error: open pinned program "), notAProgram.err());
            assertTrue(notAProgram.err().contains("is not a program"), notAProgram.err());
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
