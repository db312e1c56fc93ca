package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every committed object reads to exactly the sections, symbols and relocations llvm-readelf listed. */
class ElfFileFixtureTest {

    @TestFactory
    Stream<DynamicTest> everyObjectMatchesLlvmReadelf() {
        List<String> objects = Fixtures.objects();
        assertFalse(objects.isEmpty(), "no objects under " + Fixtures.ROOT.toAbsolutePath());
        return objects.stream().map(o -> DynamicTest.dynamicTest(o, () -> compare(o)));
    }

    private static void compare(String object) {
        ElfFile elf = Fixtures.read(object);
        ReadelfListing expected = Fixtures.readelf(object);
        assertEquals(expected.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, elf.byteOrder());
        assertEquals(expected.sections(), elf.sections().stream().map(ElfFileFixtureTest::line).toList());
        assertEquals(expected.symbols(), elf.symbols().stream().map(s -> line(elf, s)).toList());
        List<String> relocationSections = new ArrayList<>();
        for (RelocationSection r : elf.relocationSections()) {
            relocationSections.add(r.section().name());
            assertEquals(r.section().info(), r.target().index());
            List<ReadelfListing.RelocationLine> actual = r.relocations().stream()
                    .map(x -> new ReadelfListing.RelocationLine(x.offset(), x.symbol().index(), x.typeCode(),
                            x.type().name()))
                    .toList();
            assertEquals(expected.relocations().get(r.section().name()), actual, r.section().name());
        }
        assertEquals(List.copyOf(expected.relocations().keySet()), relocationSections);
        for (Section code : elf.executableSections()) {
            assertEquals(code.size() / 8, elf.instructions(code).slotCount(), code.name());
            for (Symbol s : elf.symbolsIn(code)) {
                assertTrue(s.isDefinedIn(code));
            }
        }
    }

    private static ReadelfListing.SectionLine line(Section s) {
        StringBuilder flags = new StringBuilder();
        for (SectionFlag f : SectionFlag.values()) {
            if (s.has(f)) {
                flags.append(f.letter());
            }
        }
        return new ReadelfListing.SectionLine(s.index(), s.name(), s.type().name(), s.address(), s.offset(),
                s.size(), s.entrySize(), flags.toString(), s.link(), s.info(), s.addressAlignment());
    }

    private static ReadelfListing.SymbolLine line(ElfFile elf, Symbol s) {
        String section = switch (s.section()) {
            case SymbolSection.Undefined u -> "UND";
            case SymbolSection.Absolute a -> "ABS";
            case SymbolSection.Common c -> "COM";
            case SymbolSection.Index(int i) -> Integer.toString(i);
        };
        return new ReadelfListing.SymbolLine(s.index(), s.value(), s.size(), s.type().name(), s.binding().name(),
                s.visibility().name(), section, elf.symbolName(s));
    }
}
