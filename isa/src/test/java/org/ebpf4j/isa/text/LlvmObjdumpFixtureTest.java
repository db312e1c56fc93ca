package org.ebpf4j.isa.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ebpf4j.isa.Instructions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the disassembler with llvm-objdump-19 on committed output (fixtures/build.sh), so no LLVM is needed
 * here. What is compared: every code section's whole block, from {@code Disassembly of section} to its last
 * instruction, byte for byte: symbol header lines, slot numbers, raw bytes, the instruction text and the
 * {@code <symbol+0xoff>} branch suffixes, which come from the object's symbols as build.sh listed them. Only the
 * file header above the first section is skipped (it names the object file). Instructions are the raw,
 * unrelocated bytes, as llvm-objdump without {@code -r} shows them.
 */
class LlvmObjdumpFixtureTest {
    private static final Path FIXTURES = Path.of("..", "fixtures");
    private static final String SECTION_START = "Disassembly of section ";

    @TestFactory
    Stream<DynamicTest> everyCodeSectionOfEveryObjectMatchesLlvmObjdump() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> listings = Files.list(FIXTURES.resolve("expected"))) {
            for (Path listing : listings.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                String object = listing.getFileName().toString().replace(".txt", "");
                Path syms = listing.resolveSibling(object + ".syms");
                sections(Files.readString(listing)).forEach((section, expected) -> tests.add(DynamicTest.dynamicTest(
                        object + " " + section,
                        () -> assertEquals(expected, disassemble(listing.resolveSibling(object), section, syms)))));
            }
        }
        assertFalse(tests.isEmpty(), "no fixtures under " + FIXTURES.toAbsolutePath());
        return tests.stream();
    }

    /** Every opcode byte with many field combinations plus 12000 random encodings, decoded or not by LLVM. */
    @Test
    void everyEncodingOfTheCorpusMatchesLlvmObjdump() throws IOException {
        Path dir = FIXTURES.resolve("encodings");
        Map<String, String> sections = sections(Files.readString(dir.resolve("all.txt")));
        Instructions program = Instructions.decode(Files.readAllBytes(dir.resolve("all.bin")));
        String actual = Disassembler.llvmObjdump().listing(program, SymbolTable.sectionOnly(".text"));
        assertLinesEqual(sections.get(".text"), actual);
    }

    private static String disassemble(Path sectionDir, String section, Path syms) throws IOException {
        byte[] code = Files.readAllBytes(sectionDir.resolve(section.replace('/', '_') + ".bin"));
        List<SymbolTable.Symbol> symbols = new ArrayList<>();
        for (String line : Files.readAllLines(syms)) {
            String[] f = line.split("\t");
            if (f[0].equals(section)) {
                symbols.add(new SymbolTable.Symbol(f[2], Long.parseUnsignedLong(f[1], 16)));
            }
        }
        return Disassembler.llvmObjdump().listing(Instructions.decode(code), SymbolTable.of(section, symbols));
    }

    /** The blocks of an llvm-objdump listing by section name, each ending with its last line's newline. */
    static Map<String, String> sections(String listing) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] blocks = listing.split("\n(?=" + SECTION_START + ")");
        for (int i = 1; i < blocks.length; i++) {
            String block = blocks[i].stripTrailing() + "\n";
            String name = block.substring(SECTION_START.length(), block.indexOf(":\n"));
            out.put(name, block);
        }
        return out;
    }

    /** Reports the first differing line rather than a megabyte-long string diff. */
    private static void assertLinesEqual(String expected, String actual) {
        String[] e = expected.split("\n");
        String[] a = actual.split("\n");
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            assertEquals(e[i], a[i], "line " + (i + 1));
        }
        assertEquals(e.length, a.length, "line count");
    }
}
