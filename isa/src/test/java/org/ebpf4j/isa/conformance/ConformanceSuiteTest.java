package org.ebpf4j.isa.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers on small hand-written files, so their rules hold whatever the shared suite contains. */
class ConformanceSuiteTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void readsEverySectionKind() throws IOException {
        ConformanceVector v = ConformanceSuite.readDataFile(write("sample.data", """
                # Copyright line
                -- c
                #include <stdint.h>
                uint64_t entry(void) { return 2; }
                -- asm
                mov %r0, 2 # two
                exit
                -- mem
                00 01 # first two
                ff
                -- no register offset
                call instruction
                -- result
                0x2
                """));
        assertEquals("sample", v.name());
        assertEquals(ProgramSource.ASSEMBLY, v.source());
        assertEquals("b7000000020000009500000000000000", v.programHex());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xff}, v.memory());
        assertEquals(2, v.expectedR0());
        assertEquals(Optional.empty(), v.expectedError());
        assertEquals(Map.of("c", "#include <stdint.h>\nuint64_t entry(void) { return 2; }",
                "no register offset", "call instruction"), v.otherSections());
        assertTrue(v.assembly().orElseThrow().contains("mov %r0, 2"));
    }

    @Test
    void rawOverridesAsmAndKeepsOddBytes() throws IOException {
        // An lddw without its second half: not a decodable program, but a vector may hold one.
        ConformanceVector v = ConformanceSuite.readDataFile(write("odd.data", """
                -- asm
                exit
                -- raw
                0x0000000100000018
                -- error
                incomplete lddw
                -- result
                0xffffffffffffffff
                """));
        assertEquals(ProgramSource.RAW, v.source());
        assertEquals("1800000001000000", v.programHex());
        assertEquals(Optional.of("incomplete lddw"), v.expectedError());
        assertEquals(-1L, v.expectedR0());
        assertThrows(org.ebpf4j.isa.InvalidProgramException.class, v::instructions);
    }

    @Test
    void anErrorAloneIsEnough() throws IOException {
        ConformanceVector v = ConformanceSuite.readDataFile(write("e.data", "-- asm\nexit\n-- error\nbad\n"));
        assertTrue(v.expectsError());
    }

    @Test
    void reportsAssemblyErrorsAtTheirFileLine() throws IOException {
        var e = assertThrows(ConformanceFormatException.class, () -> ConformanceSuite.readDataFile(
                write("bad.data", "# header\n-- asm\nmov %r0, 1\nfrob\n-- result\n0x0\n")));
        assertTrue(e.getMessage().endsWith("bad.data:4: line 2: unknown mnemonic 'frob': 'frob'"), e.getMessage());
    }

    @Test
    void rejectsFilesWithoutProgramOrExpectation() throws IOException {
        assertThrows(ConformanceFormatException.class,
                () -> ConformanceSuite.readDataFile(write("a.data", "-- asm\nexit\n")));
        assertThrows(ConformanceFormatException.class,
                () -> ConformanceSuite.readDataFile(write("b.data", "-- result\n0x0\n")));
        assertThrows(ConformanceFormatException.class,
                () -> ConformanceSuite.readDataFile(write("c.data", "-- mem\nzz\n-- asm\nexit\n-- result\n1\n")));
    }

    @Test
    void readsADirectorySortedByName() throws IOException {
        write("b.data", "-- asm\nexit\n-- result\n1\n");
        write("a.data", "-- asm\nexit\n-- result\n2\n");
        write("notes.txt", "not a vector");
        List<ConformanceVector> vs = ConformanceSuite.readDirectory(dir);
        assertEquals(List.of("a", "b"), vs.stream().map(ConformanceVector::name).toList());
    }

    @Test
    void readsTheCorpusFormat() throws IOException {
        List<ConformanceVector> vs = ConformanceSuite.readTsv(write("c.tsv", """
                # name\texpected_r0\tmem_hex\tprogram_hex
                x.data\t0x8\t0000000100000002\tbf200000000000009500000000000000
                y.data\t0xffffffffffffffff\t\t9500000000000000
                """));
        assertEquals(2, vs.size());
        assertEquals("x", vs.get(0).name());
        assertEquals(8, vs.get(0).expectedR0());
        assertEquals("0000000100000002", vs.get(0).memoryHex());
        assertEquals(ProgramSource.CORPUS, vs.get(0).source());
        assertEquals(0, vs.get(1).memory().length);
        assertEquals(-1L, vs.get(1).expectedR0());
    }

    @Test
    void vectorsCompareByContent() throws IOException {
        Path f = write("s.data", "-- asm\nexit\n-- result\n1\n");
        assertEquals(ConformanceSuite.readDataFile(f), ConformanceSuite.readDataFile(f));
        assertEquals(ConformanceSuite.readDataFile(f).hashCode(), ConformanceSuite.readDataFile(f).hashCode());
    }

    @Test
    void locatesSharedBesideAParent() throws IOException {
        Files.createDirectories(dir.resolve("shared/conformance/tests"));
        Path deep = Files.createDirectories(dir.resolve("repo/isa/target"));
        assertEquals(Optional.of(dir.resolve("shared/conformance").toAbsolutePath().normalize()),
                ConformanceSuite.locate(deep));
    }
}
