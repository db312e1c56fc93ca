package org.ebpf4j.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Encoding is parsing backwards: every type of clang's and the kernel's BTF survives a write and a parse. */
class BtfWriterTest {

    @ParameterizedTest
    @CsvSource({"types, el", "types, eb", "core, el", "core, eb"})
    void clangBtfSurvivesARoundTrip(String name, String order) {
        Btf original = Fixtures.btf(name, order);
        byte[] written = new BtfWriter(original.order()).write(original.types());
        Btf again = Btf.parse(written);
        assertEquals(original.types(), again.types());
        assertEquals(original.order(), again.order());
        // Same records, same sizes: the type section is as long as clang's.
        assertEquals(original.header().typeLength(), again.header().typeLength());
    }

    @Test
    void vmlinuxSurvivesARoundTrip() throws IOException {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        assumeTrue(Files.isReadable(vmlinux), "no /sys/kernel/btf/vmlinux on this machine");
        Btf original = Btf.parse(Files.readAllBytes(vmlinux));
        Btf again = Btf.parse(new BtfWriter(ByteOrder.nativeOrder()).write(original.types()));
        assertEquals(original.types(), again.types());
        assertEquals(original.header().typeLength(), again.header().typeLength());
    }

    @Test
    void extraStringsKeepTheirOffsets() {
        BtfWriter writer = new BtfWriter(ByteOrder.LITTLE_ENDIAN);
        int file = writer.string("prog.c");
        int line = writer.string("    return 0;");
        assertEquals(writer.string("prog.c"), file);
        Btf btf = Btf.parse(writer.write(List.of(new BtfType.Int("int", 4, IntEncoding.SIGNED, 0, 32))));
        assertEquals("prog.c", btf.strings().at(file));
        assertEquals("    return 0;", btf.strings().at(line));
        assertEquals("", btf.strings().at(0));
        assertEquals("int", btf.type(1).name());
    }
}
