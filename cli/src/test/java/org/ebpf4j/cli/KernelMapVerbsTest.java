package org.ebpf4j.cli;

import static org.ebpf4j.cli.KernelCommandsTest.bpftool;
import static org.ebpf4j.cli.KernelCommandsTest.compact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.elf.ObjectLoader;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxMap;
import org.ebpf4j.spec.CollectionSpec;
import org.junit.jupiter.api.Test;

/**
 * {@code map lookup|update|delete|getnext|freeze id N} on kernel maps against bpftool on the same maps: the same text
 * and JSON (with BTF: described through the types, and JSON's "formatted"; without: hex), and the same changes.
 */
class KernelMapVerbsTest {
    private static LinuxBackend backend() {
        try {
            return LinuxBackend.open();
        } catch (RuntimeException e) {
            return abort(e.getMessage() + " (these tests need bpf(): run them as root)");
        }
    }

    private static String ebpf4j(String... args) {
        BatchCommandTest.Result r = BatchCommandTest.ebpf4j(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    private static String[] with(String[] words, String... more) {
        String[] out = java.util.Arrays.copyOf(words, words.length + more.length);
        System.arraycopy(more, 0, out, words.length, more.length);
        return out;
    }

    private static void sameAsBpftool(String... command) {
        assertEquals(bpftool(command), ebpf4j(command), String.join(" ", command));
        assertEquals(compact(bpftool(with(command, "--json"))), compact(ebpf4j(with(command, "--json"))),
                String.join(" ", command) + " --json");
    }

    private static CollectionSpec spinLock(boolean withBtf) throws IOException {
        CollectionSpec spec = ObjectLoader.load(BatchCommandTest.OBJ.resolve("spin_lock.v3.o"));
        return withBtf ? spec : new CollectionSpec(spec.name(), Map.of(), spec.maps(), List.of(), Optional.empty(),
                spec.byteOrder());
    }

    @Test
    void verbsOnMapsWithAndWithoutBtfPrintWhatBpftoolPrints() throws IOException {
        LinuxBackend backend = backend();
        for (boolean btf : List.of(true, false)) {
            try (Collection loaded = backend.load(spinLock(btf), LoadOptions.defaults())) {
                String hash = Integer.toString(((LinuxMap) loaded.map("locked_hash")).info().id());
                String plain = Integer.toString(((LinuxMap) loaded.map("plain")).info().id());
                ebpf4j("map", "update", "id", hash, "key", "1", "0", "0", "0", "value", "hex", "11", "0", "0", "0",
                        "0", "0", "0", "0", "ff", "ff", "ff", "ff", "7", "0", "0", "0", "22", "0", "0", "0", "0", "0",
                        "0", "0", "noexist");
                ebpf4j("map", "update", "id", plain, "key", "0x02", "0", "0", "0", "value", "1", "2", "3", "4", "5",
                        "6", "7", "010");
                sameAsBpftool("map", "lookup", "id", hash, "key", "1", "0", "0", "0");
                sameAsBpftool("map", "lookup", "id", plain, "key", "hex", "02", "00", "00", "00");
                sameAsBpftool("map", "getnext", "id", hash);
                sameAsBpftool("map", "getnext", "id", plain, "key", "1", "0", "0", "0");
                sameAsBpftool("map", "dump", "id", hash);
                if (!btf) {
                    sameAsBpftool("map", "dump", "id", plain);
                }
                // What the lock flag reads and writes, as bpftool (which has no "lock" word) then sees it.
                if (btf) {
                    assertEquals(ebpf4j("map", "lookup", "id", hash, "key", "1", "0", "0", "0"),
                            ebpf4j("map", "lookup", "id", hash, "key", "1", "0", "0", "0", "lock"));
                } else {
                    // Without BTF the kernel knows of no lock in the value.
                    assertEquals("Error: lookup failed: Invalid argument\n", BatchCommandTest.ebpf4j("map", "lookup",
                            "id", hash, "key", "1", "0", "0", "0", "lock").err());
                }
                ebpf4j("map", "delete", "id", hash, "key", "1", "0", "0", "0");
                assertTrue(bpftool("map", "dump", "id", hash).contains(btf ? "[]" : "Found 0 elements"));
                ebpf4j("map", "freeze", "id", plain);
                assertTrue(bpftool("map", "show", "id", plain).contains("frozen"));
                BatchCommandTest.Result refused = BatchCommandTest.ebpf4j("map", "update", "id", plain, "key", "0",
                        "0", "0", "0", "value", "0", "0", "0", "0", "0", "0", "0", "0");
                assertEquals(1, refused.status());
                assertEquals("Error: update failed: Operation not permitted\n", refused.err());
                BatchCommandTest.Result json = BatchCommandTest.ebpf4j("map", "lookup", "id", hash, "key", "9", "0",
                        "0", "0", "--json");
                assertEquals(1, json.status());
                assertEquals("{\"error\":\"lookup failed: No such file or directory\"}", compact(json.out()));
            }
        }
    }
}
