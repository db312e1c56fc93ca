package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run FILE.o --pcap} and {@code pcap generate}: the README's main job and its failures. */
class CaptureCommandsTest {
    private static final String EXAMPLE = CaptureRunGroundTruthTest.EXAMPLE.toString();
    private static final String CAPTURE = CaptureRunGroundTruthTest.CAPTURE.toString();

    @TempDir
    Path dir;

    private static MainTest.Result cli(String... args) {
        return MainTest.cli("", args);
    }

    @Test
    void theMainJobPrintsActionsTraceLinesAndMaps() {
        MainTest.Result r = cli("run", EXAMPLE, "--pcap", CAPTURE);
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        var expected = CaptureRunGroundTruthTest.expected(CaptureRunGroundTruthTest.DROP_PORT);
        assertTrue(r.out().startsWith("xdp_stats (XDP) over " + CAPTURE + " (pcap, 3000 packets) on the jvm backend"
                + " (interpreter)\n" + (3000 - expected.refused()) + " run, " + expected.refused()
                + " refused by the test run (packet 4: EINVAL (2 bytes); "), r.out());
        assertTrue(r.out().contains(String.format("""
                Actions:
                  XDP_ABORTED    %8d
                  XDP_DROP       %8d
                  XDP_PASS       %8d
                  XDP_TX                0
                  XDP_REDIRECT          0
                """, expected.actions().get(0L), expected.actions().get(1L), expected.actions().get(2L))), r.out());
        assertTrue(r.out().contains("xdp_stats: drop proto 6 dport 23\n"), r.out());
        long[][] p = expected.protocols();
        assertTrue(r.out().contains("protocols: ARRAY, key 4 B, value 16 B, max_entries 8\nkey: 0  value: {packets: "
                + p[0][0] + ", bytes: " + p[0][1] + "}\nkey: 1  value: {packets: " + p[1][0] + ", bytes: " + p[1][1]
                + "}\n"), r.out());
        assertTrue(r.out().contains("sources: LRU_HASH, key 16 B, value 8 B, max_entries 1024\n"), r.out());
        assertTrue(r.out().contains("Found " + expected.sources().size() + " elements\n"), r.out());
        // .rodata holds drop_port and the trace_printk format (its BTF has no key type: the key stays in hex).
        assertTrue(r.out().contains(".rodata: ARRAY, key 4 B, value 36 B, max_entries 1\nkey: 00 00 00 00  value:"
                + " {drop_port: 23, "), r.out());
    }

    @Test
    void jsonHasEveryTraceLineAndBpftoolStyleEntries() {
        MainTest.Result r = cli("run", EXAMPLE, "--pcap", CAPTURE, "--unverified", "--engine", "jit", "--json",
                "--set", "drop_port=0x35");
        assertEquals(0, r.status(), r.err());
        var expected = CaptureRunGroundTruthTest.expected(53);
        assertTrue(r.out().contains("\"XDP_DROP\": " + expected.actions().get(1L) + ",\n"), r.out());
        assertTrue(r.out().contains("\"line\": \"xdp_stats: drop proto 17 dport 53\""), r.out());
        assertTrue(r.out().contains("\"backend\": \"the jvm backend (jit, unverified)\""), r.out());
        assertTrue(r.out().contains("\"reason\": \"EINVAL (2 bytes)\""), r.out());
        assertTrue(r.out().contains("\"key\": [\n"), r.out());
        assertTrue(r.out().contains("\"formatted\": {\n            \"key\": 0,\n            \"value\": {\n"
                + "              \"packets\": "), r.out());
    }

    @Test
    void failuresAreOneLineNamingWhatAndWhere() throws Exception {
        MainTest.Result unproven = cli("run", "../fixtures/obj/string_helpers.v3.o", "--pcap", CAPTURE, "--program",
                "strings");
        assertEquals(Main.EXIT_FAILURE, unproven.status());
        assertTrue(unproven.err().startsWith("ebpf4j: cannot load ../fixtures/obj/string_helpers.v3.o into the JVM:"
                + " program 'formats' rejected by the verifier: insn 47: format checks of bpf_snprintf not supported"
                + " yet"), unproven.err());
        assertTrue(unproven.err().endsWith("(--unverified runs programs the verifier has not proven safe)\n"),
                unproven.err());

        MainTest.Result notAnObject = cli("run", CAPTURE, "--pcap", CAPTURE, "--unverified");
        assertEquals(Main.EXIT_FAILURE, notAnObject.status());
        assertTrue(notAnObject.err().startsWith("ebpf4j: cannot load " + CAPTURE + ": "), notAnObject.err());
        assertEquals(1, notAnObject.err().lines().count(), notAnObject.err());

        Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(Files.readAllBytes(Path.of(CAPTURE)), 150));
        MainTest.Result truncated = cli("run", EXAMPLE, "--pcap", cut.toString(), "--unverified");
        assertEquals(Main.EXIT_FAILURE, truncated.status());
        assertEquals("ebpf4j: " + cut + ": offset 138 (0x8a), record header of packet 2: truncated: 12 of 16"
                + " bytes\n", truncated.err());

        MainTest.Result unknown = cli("run", EXAMPLE, "--pcap", CAPTURE, "--unverified", "--set", "port=1");
        assertEquals("ebpf4j: --set port: xdp_stats has no integer global variable 'port'; its integer globals are"
                + " [drop_port]\n",
                unknown.err());
        MainTest.Result range = cli("run", EXAMPLE, "--pcap", CAPTURE, "--unverified", "--set", "drop_port=65536");
        assertEquals("ebpf4j: --set drop_port=65536: out of range for an unsigned 2-byte variable [0, 65535]\n",
                range.err());
        MainTest.Result program = cli("run", EXAMPLE, "--pcap", CAPTURE, "--unverified", "--program", "nope");
        assertEquals("ebpf4j: no program 'nope' in " + EXAMPLE + "; it has [xdp_stats]\n", program.err());
        MainTest.Result mem = cli("run", EXAMPLE, "--pcap", CAPTURE, "--mem", "00");
        assertEquals(Main.EXIT_FAILURE, mem.status());
        MainTest.Result json = cli("run", EXAMPLE, "--json");
        assertEquals("ebpf4j: --program, --set, --unverified, --kernel and --json apply with --pcap only\n", json.err());
    }

    @Test
    void packetsOfOtherLinkTypesAreSkippedAndCounted() throws Exception {
        // pcapng, little endian: a section, a RAW (101) interface and an Ethernet one, a packet on each.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(block(0x0A0D0D0A, le(16).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0)
                .putLong(-1).array()));
        out.writeBytes(block(1, le(8).putShort((short) 101).putShort((short) 0).putInt(0).array()));
        out.writeBytes(block(1, le(8).putShort((short) 1).putShort((short) 0).putInt(0).array()));
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        out.writeBytes(block(6, le(20 + 60).putInt(0).putInt(0).putInt(0).putInt(60).putInt(60).put(arp).array()));
        out.writeBytes(block(6, le(20 + 60).putInt(1).putInt(0).putInt(0).putInt(60).putInt(60).put(arp).array()));
        Path mixed = Files.write(dir.resolve("mixed.pcapng"), out.toByteArray());
        MainTest.Result r = cli("run", EXAMPLE, "--pcap", mixed.toString(), "--unverified");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\n1 run, 1 skipped (packet 1: link type 101 (RAW) is not Ethernet)\n"), r.out());
        assertTrue(r.out().contains("  XDP_PASS              1\n"), r.out());
    }

    private static java.nio.ByteBuffer le(int size) {
        return java.nio.ByteBuffer.allocate(size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] block(int type, byte[] body) {
        int length = 12 + body.length;
        return le(length).putInt(type).putInt(length).put(body).putInt(length).array();
    }

    @Test
    void generateWritesTheCommittedCaptureAgain() throws Exception {
        Path out = dir.resolve("t.pcap");
        MainTest.Result r = cli("pcap", "generate", out.toString(), "--packets", "3000", "--seed", "1");
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(Files.readAllBytes(Path.of(CAPTURE)), Files.readAllBytes(out));

        Path ng = dir.resolve("t.pcapng");
        assertEquals(0, cli("pcap", "generate", ng.toString(), "--packets", "50", "--format", "pcapng").status());
        MainTest.Result run = cli("run", EXAMPLE, "--pcap", ng.toString(), "--unverified");
        assertTrue(run.out().startsWith("xdp_stats (XDP) over " + ng + " (pcapng, 50 packets)"), run.out());
    }
}
