package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code disasm} and {@code inspect} on the committed clang objects. */
class ObjectCommandsTest {
    private static final Path OBJ = Path.of("..", "fixtures", "obj");

    private static MainTest.Result cli(String... args) {
        return MainTest.cli("", args);
    }

    @Test
    void testRunRunsAProgramOnAPacketInTheJvm() {
        String packet = "00".repeat(64);
        MainTest.Result r = cli("test-run", OBJ.resolve("subprogs.v3.o").toString(), "--program", "third",
                "--data-hex", packet, "--unverified");
        assertEquals(0, r.status(), r.err());
        // third: (middle(len) + 1) & 3 with len 64 is 3 (linux's TestRunTest computes it from the C).
        assertTrue(r.out().startsWith("Return value: 3 (0x3)\nDuration (average): "), r.out());
        assertTrue(r.out().contains("Data out: " + packet), r.out());

        MainTest.Result json = cli("test-run", OBJ.resolve("bytes.v3.o").toString(), "--data-hex", packet, "--json");
        assertEquals(0, json.status(), json.err());
        assertTrue(json.out().contains("\"retval\": 2"), json.out());

        MainTest.Result ambiguous = cli("test-run", OBJ.resolve("subprogs.v3.o").toString(), "--data-hex", packet,
                "--unverified");
        assertEquals(Main.EXIT_FAILURE, ambiguous.status());
        assertTrue(ambiguous.err().contains("--program"), ambiguous.err());

        // Verified by default: what the verifier cannot check yet is refused, in one line.
        MainTest.Result unproven = cli("test-run", OBJ.resolve("string_helpers.v3.o").toString(), "--program",
                "strings", "--data-hex", packet);
        assertEquals(Main.EXIT_FAILURE, unproven.status());
        assertTrue(unproven.err().contains("format checks of bpf_snprintf") && unproven.err().lines().count() == 1,
                unproven.err());
        // Proven, subprograms and all.
        MainTest.Result proven = cli("test-run", OBJ.resolve("subprogs.v3.o").toString(), "--program", "third",
                "--data-hex", packet);
        assertEquals(0, proven.status(), proven.err());
        assertTrue(proven.out().startsWith("Return value: 3 (0x3)\n"), proven.out());
    }

    @Test
    void testRunTakesAContextAloneForTracingTypes() {
        // raw_tp_args returns args[0] + args[11]; 12 arguments 5, 6, 3, 0 ... 0, 7.
        String args = "0500000000000000" + "0600000000000000" + "0300000000000000" + "0000000000000000".repeat(8)
                + "0700000000000000";
        MainTest.Result raw = cli("test-run", OBJ.resolve("tracing.v3.o").toString(), "--program", "raw_tp_args",
                "--ctx-hex", args);
        assertEquals(0, raw.status(), raw.err());
        assertTrue(raw.out().startsWith("Return value: 12 (0xc)\n"), raw.out());

        // syscall_rewrite sums bytes[0..15] (0..15: 120), adds i to each, counts the call, stores sum + (u32) in.
        String buffer = "0001020304050607" + "0000000000000000" + "000102030405060708090a0b0c0d0e0f";
        MainTest.Result syscall = cli("test-run", OBJ.resolve("tracing.v3.o").toString(), "--program",
                "syscall_rewrite", "--ctx-hex", buffer);
        assertEquals(0, syscall.status(), syscall.err());
        assertTrue(syscall.out().startsWith("Return value: 120 (0x78)\n"), syscall.out());
        assertTrue(syscall.out().contains("Context out: 0001020304050607" + "01000000" + "78010203"
                + "00020406080a0c0e10121416181a1c1e"), syscall.out());

        // A packet for a raw tracepoint is refused as the kernel refuses it.
        MainTest.Result withData = cli("test-run", OBJ.resolve("tracing.v3.o").toString(), "--program", "raw_tp_args",
                "--ctx-hex", args, "--data-hex", "00".repeat(14));
        assertEquals(Main.EXIT_FAILURE, withData.status());
        assertTrue(withData.err().contains("EINVAL"), withData.err());
    }

    @Test
    void disasmListsLinkedProgramsWithSourceMapsAndHelpers() {
        MainTest.Result r = cli("disasm", "-S", OBJ.resolve("subprogs.v3.o").toString(), "--section", "socket");
        assertEquals(0, r.status(), r.err());
        String expected = """
                Program sock_one (BPF_PROG_TYPE_SOCKET_FILTER, section socket)
                Disassembly of section socket:

                0000000000000000 <sock_one>:
                ;     return leaf(bpf_get_prandom_u32());
                       0:\t85 00 00 00 07 00 00 00\tcall 0x7\t# bpf_get_prandom_u32
                       1:\tbc 01 00 00 00 00 00 00\tw1 = w0
                       2:\t85 10 00 00 01 00 00 00\tcall 0x1
                       3:\t95 00 00 00 00 00 00 00\texit

                0000000000000020 <leaf>:
                ; static __noinline __u64 leaf(__u64 x)
                       4:\tbf 10 00 00 00 00 00 00\tr0 = r1
                ;     return x * 3 + 1;
                       5:\t27 00 00 00 03 00 00 00\tr0 *= 0x3
                       6:\t07 00 00 00 01 00 00 00\tr0 += 0x1
                       7:\t95 00 00 00 00 00 00 00\texit
                """;
        assertTrue(r.out().startsWith(expected), r.out());
        assertTrue(r.out().contains("Program sock_two"), r.out());
    }

    @Test
    void disasmNamesTheMapBehindEachLddw() {
        MainTest.Result r = cli("disasm", OBJ.resolve("globals.v3.o").toString(), "--section", "xdp");
        assertTrue(r.out().contains("ld_pseudo\tr2, 0x2, 0x0\t# map '.data' value + 40"), r.out());
        MainTest.Result none = cli("disasm", OBJ.resolve("globals.v3.o").toString(), "--section", "nope");
        assertEquals(1, none.status());
        assertTrue(none.err().contains("no program in section 'nope'"), none.err());
    }

    @Test
    void inspectShowsProgramsMapsAndBtf() {
        MainTest.Result r = cli("inspect", OBJ.resolve("legacy_maps.v3.o").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                object legacy_maps.v3 (little endian, license "Dual BSD/GPL", kernel version 396288)

                programs:
                  NAME            SECTION                TYPE           INSNS  FUNCTIONS       MAPS
                  count_packets   socket                 socket_filter  22     count_packets   legacy_hash
                  count_connects  kprobe/tcp_v4_connect  kprobe         25     count_connects  legacy_array,legacy_percpu

                maps:
                  NAME           TYPE         KEY  VALUE  MAX   FLAGS  ORIGIN  NOTES
                  legacy_hash    hash         4    8      256   0x0    legacy
                  legacy_array   array        4    4      8     0x0    legacy
                  legacy_percpu  percpu_hash  8    8      1024  0x1    legacy

                btf: 20 types
                """, r.out());
    }

    @Test
    void inspectJsonIsTheSameModel() {
        MainTest.Result r = cli("show", "--json", OBJ.resolve("globals.v3.o").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"name\": \".rodata\""), r.out());
        assertTrue(r.out().contains("\"frozen\": true"), r.out());
        assertTrue(r.out().contains("\"origin\": \"kconfig\""), r.out());
    }

    @Test
    void badObjectsAreOneLine(@TempDir Path dir) throws Exception {
        byte[] object = Files.readAllBytes(OBJ.resolve("maps.v3.o"));
        Path truncated = Files.write(dir.resolve("cut.o"), java.util.Arrays.copyOf(object, 100));
        MainTest.Result r = cli("inspect", truncated.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("ebpf4j: cut.o: "), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }
}
