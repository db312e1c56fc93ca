package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A big-endian object (clang -target bpfeb) reads to the same structure as the little-endian object of the same
 * source, and its code decodes to the same instructions: the byte order changes the encoding, not the program.
 */
class BigEndianTest {

    @TestFactory
    Stream<DynamicTest> bigEndianObjectsMatchTheirLittleEndianTwins() {
        List<String> big = Fixtures.objects().stream().filter(o -> o.contains(".bpfeb.")).toList();
        assertFalse(big.isEmpty(), "no big-endian fixtures");
        return big.stream().map(o -> DynamicTest.dynamicTest(o, () -> compare(o, o.replace(".bpfeb.", "."))));
    }

    private static void compare(String bigName, String littleName) {
        ElfFile big = Fixtures.read(bigName);
        ElfFile little = Fixtures.read(littleName);
        assertEquals(ByteOrder.BIG_ENDIAN, big.byteOrder());
        assertEquals(ByteOrder.LITTLE_ENDIAN, little.byteOrder());
        assertEquals(shape(little.sections()), shape(big.sections()));
        assertEquals(little.symbols().stream().map(BigEndianTest::withoutIndex).toList(),
                big.symbols().stream().map(BigEndianTest::withoutIndex).toList());
        for (Section code : little.executableSections()) {
            Section twin = big.section(code.name()).orElseThrow();
            assertEquals(little.instructions(code), big.instructions(twin), code.name());
            assertEquals(relocations(little, code), relocations(big, twin), code.name());
        }
    }

    /** Offsets in the file differ (string tables and debug info are laid out per byte order); the rest must not. */
    private static List<String> shape(List<Section> sections) {
        return sections.stream().map(s -> s.index() + " " + s.name() + " " + s.type() + " " + s.flags() + " "
                + s.link() + " " + s.info() + " " + s.entrySize() + (s.name().startsWith(".debug") ? "" : " " + s.size()))
                .toList();
    }

    private static String withoutIndex(Symbol s) {
        return s.name() + " " + s.value() + " " + s.size() + " " + s.type() + " " + s.binding() + " " + s.section();
    }

    private static List<String> relocations(ElfFile elf, Section target) {
        return elf.relocationsFor(target).stream()
                .map(r -> r.offset() + " " + elf.symbolName(r.symbol()) + " " + r.type()).toList();
    }
}
