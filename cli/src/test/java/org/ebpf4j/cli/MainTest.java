package org.ebpf4j.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.ebpf4j.isa.conformance.ConformanceSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {
    private static final String EXIT = "9500000000000000";
    private static final String MOV_R0_7 = "b700000007000000";

    @TempDir
    Path dir;

    record Result(int status, String out, String err) {}


    static Result cli(String stdin, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.US_ASCII)));
        try {
            var out = new StringWriter();
            var err = new StringWriter();
            int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Result(status, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    private Path file(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void runPrintsR0OfARawProgram() throws Exception {
        Path p = file("p.bin", hex(MOV_R0_7 + EXIT));
        assertEquals(new Result(0, "0x7\n", ""), cli("", "run", p.toString()));
    }

    @Test
    void runGivesTheProgramItsMemory() throws Exception {
        Path p = file("p.bin", hex("6110040000000000" + EXIT)); // r0 = *(u32 *)(r1 + 4)
        assertEquals("0x44332211\n", cli("", "run", p.toString(), "--mem", "00000000 11223344").out());
        Path mem = file("mem.bin", hex("0000000078563412"));
        assertEquals("0x12345678\n", cli("", "run", p.toString(), "--data", mem.toString()).out());
    }

    @Test
    void runAssemblesBothSyntaxes() throws Exception {
        Path llvm = file("p.s", "r0 = 5\nr0 += 2\nexit\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("0x7\n", cli("", "run", llvm.toString()).out());
        Path ubpf = file("q.s", "mov %r0, 5\nadd %r0, 3\nexit\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("0x8\n", cli("", "run", ubpf.toString()).out());
    }

    @Test
    void asmAndDisasmRoundTrip() throws Exception {
        Path src = file("p.s", "r0 = *(u32 *)(r1 + 0x4)\nif r0 > 0x5 goto +0x1\nw0 += w1\nexit\n"
                .getBytes(StandardCharsets.US_ASCII));
        Path bin = dir.resolve("p.bin");
        assertEquals(0, cli("", "asm", src.toString(), "-o", bin.toString()).status());
        Result listing = cli("", "disasm", bin.toString());
        assertEquals(0, listing.status());
        assertTrue(listing.out().contains("r0 = *(u32 *)(r1 + 0x4)"), listing.out());
        assertTrue(listing.out().contains("       2:\t0c 10 00 00 00 00 00 00\tw0 += w1"), listing.out());
        Result text = cli("", "disasm", "--text", bin.toString());
        Path again = file("again.s", text.out().getBytes(StandardCharsets.US_ASCII));
        assertEquals(cli("", "asm", src.toString()).out(), cli("", "asm", again.toString()).out());
    }

    @Test
    void pluginSpeaksTheConformanceProtocol() {
        Result r = cli("b7  00  00  00  07  00  00  00  95  00  00  00  00  00  00  00  ", "plugin");
        assertEquals(new Result(0, "7\n", ""), r);
        Result withMemory = cli("61100000000000009500000000000000", "plugin", "2a000000");
        assertEquals("2a\n", withMemory.out());
    }

    static Stream<Arguments> malformedPrograms() {
        return Stream.of(
                Arguments.of("truncated file", "b7000000070000", "program length 7 bytes is not a multiple of 8"),
                Arguments.of("empty program", "", "empty program"),
                Arguments.of("unknown opcode", "ff00000000000000" + EXIT, "insn 0: unknown opcode 0xff"),
                Arguments.of("bad lddw", EXIT + "1800000000000000", "insn 1: lddw is missing its second half"),
                Arguments.of("jump out of range", "0500100000000000" + EXIT,
                        "insn 0: jump out of range to insn 17 (program has 2)"),
                Arguments.of("out-of-bounds read", "7910000000000000" + EXIT,
                        "insn 0: read of 8 bytes at 0x0: no region is mapped there"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPrograms")
    void malformedProgramsGiveOneClearLineAndStatus1(String name, String program, String message) throws Exception {
        Path p = file("bad.bin", hex(program));
        assertEquals(new Result(1, "", "ebpf4j: " + message + "\n"), cli("", "run", p.toString()));
        assertEquals(new Result(1, "", "ebpf4j: " + message + "\n"), cli(program, "plugin"));
    }

    @Test
    void garbageOnThePluginsStdinIsAClearError() {
        assertEquals(new Result(1, "", "ebpf4j: program on stdin: 'z' at position 3 is not a hex digit\n"),
                cli("b70z", "plugin"));
        assertEquals(new Result(1, "", "ebpf4j: program on stdin: odd number of hex digits (3)\n"),
                cli("b70", "plugin"));
    }

    @Test
    void assemblySyntaxErrorsNameTheLine() throws Exception {
        Path src = file("bad.s", "r0 = 1\nr0 +== 2\nexit\n".getBytes(StandardCharsets.US_ASCII));
        Result r = cli("", "asm", src.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("ebpf4j: line 2"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void missingFilesAreOneLine() {
        assertEquals(new Result(1, "", "ebpf4j: no such file: /nonexistent.bin\n"), cli("", "run", "/nonexistent.bin"));
    }

    @Test
    void usageErrorsPrintUsageAndExit2() {
        Result none = cli("");
        assertEquals(2, none.status());
        assertTrue(none.err().contains("Usage: ebpf4j"), none.err());
        Result unknown = cli("", "frobnicate");
        assertEquals(2, unknown.status());
        Result badEngine = cli("", "plugin", "--engine", "warp");
        assertEquals(2, badEngine.status());
        assertTrue(badEngine.err().contains("--engine"), badEngine.err());
    }

    @Test
    void kernelBeforeTheVerbIsTheVerbsOwnOption() {
        assertArrayEquals(new String[] {"test-run", "--kernel", "a.o", "--repeat", "3"},
                Main.kernelOptionAfterVerb(new String[] {"--kernel", "test-run", "a.o", "--repeat", "3"}));
        assertArrayEquals(new String[] {"verify", "--kernel"}, Main.kernelOptionAfterVerb(new String[] {"--kernel", "verify"}));
        Result notAKernelVerb = cli("", "--kernel", "asm", "x.s");
        assertEquals(2, notAKernelVerb.status());
        assertTrue(notAKernelVerb.err().contains("--kernel"), notAKernelVerb.err());
    }

    @Test
    void conformanceRunsTheWholeSuite() {
        Optional<Path> suite = ConformanceSuite.locate(Path.of("").toAbsolutePath());
        assumeTrue(suite.isPresent(), "shared/conformance not found next to the project");
        Result tsv = cli("", "conformance", suite.get().resolve("conformance_corpus.tsv").toString());
        assertEquals(new Result(0, "313 passed, 0 failed\n", ""), tsv);
        Result dir = cli("", "conformance", suite.get().resolve("tests").toString(), "--engine", "interpreter");
        assertEquals(new Result(0, "313 passed, 0 failed\n", ""), dir);
    }
}
