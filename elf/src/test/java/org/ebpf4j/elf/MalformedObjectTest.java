package org.ebpf4j.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.ebpf4j.isa.BpfException;
import org.junit.jupiter.api.Test;

/**
 * Well-formed ELF that is not a loadable object, made by patching one thing in a committed fixture; each error
 * names the file, the part and the problem.
 */
class MalformedObjectTest {

    private static String failure(byte[] bytes) {
        return assertThrows(BpfException.class, () -> ObjectLoader.load("bad.o", bytes)).getMessage();
    }

    /** Replaces the first occurrence of {@code from} inside one section's bytes (same length). */
    private static byte[] patch(String object, String section, String from, String to) {
        byte[] bytes = Fixtures.bytes(object);
        Section s = Fixtures.read(object).section(section).orElseThrow();
        byte[] needle = from.getBytes(StandardCharsets.US_ASCII);
        for (int at = (int) s.offset(); at + needle.length <= s.offset() + s.size(); at++) {
            if (java.util.Arrays.equals(bytes, at, at + needle.length, needle, 0, needle.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, bytes, at, needle.length);
                return bytes;
            }
        }
        throw new AssertionError(from + " not found in " + section + " of " + object);
    }

    @Test
    void unknownSectionName() {
        byte[] bytes = patch("legacy_maps.v3", ".strtab", "kprobe/tcp_v4_connect\0", "kprobX/tcp_v4_connect\0");
        assertEquals("bad.o: section 'kprobX/tcp_v4_connect' (index 5): unknown program section name"
                + " 'kprobX/tcp_v4_connect' (see docs/section-names.md for the names ebpf4j knows)", failure(bytes));
    }

    @Test
    void btfMapsWithoutBtf() {
        byte[] bytes = patch("btf_maps.v3", ".strtab", ".BTF\0", ".BTX\0");
        assertEquals("bad.o: section '.maps' (index 9): BTF-defined maps need a .BTF section", failure(bytes));
    }

    @Test
    void unknownMapAttribute() {
        byte[] bytes = patch("btf_maps.v3", ".BTF", "map_extra\0", "map_extrx\0");
        assertEquals("bad.o: section '.maps' (index 9): map 'bloom': unknown attribute 'map_extrx'", failure(bytes));
    }

    @Test
    void unknownLegacyMapType() {
        byte[] bytes = Fixtures.bytes("legacy_maps.v3");
        ElfFile elf = Fixtures.read("legacy_maps.v3");
        Section maps = elf.section("maps").orElseThrow();
        Symbol hash = elf.symbols().stream().filter(s -> s.name().equals("legacy_hash")).findFirst().orElseThrow();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (maps.offset() + hash.value()), 999);
        assertEquals("bad.o: section 'maps' (index 7), map 'legacy_hash' at offset 0x0: unknown map type 999",
                failure(bytes));
    }

    @Test
    void externsOtherThanKconfig() {
        byte[] bytes = patch("globals.v3", ".strtab", "CONFIG_HZ\0", "CONFIG_HX\0");
        assertEquals("bad.o: section 'tracepoint/syscalls/sys_enter_write' (index 5), insn 8: extern 'CONFIG_HX'"
                + " is not supported (only __kconfig externs are)", failure(bytes));
    }

    @Test
    void staticProgram() {
        byte[] bytes = Fixtures.bytes("legacy_maps.v3");
        ElfFile elf = Fixtures.read("legacy_maps.v3");
        Section symtab = elf.symbolTable().orElseThrow();
        Symbol program = elf.symbols().stream().filter(s -> s.name().equals("count_packets")).findFirst()
                .orElseThrow();
        int stInfo = (int) (symtab.offset() + program.index() * 24L + 4);
        bytes[stInfo] = (byte) (bytes[stInfo] & 0x0f); // STB_LOCAL
        assertEquals("bad.o: section 'socket' (index 3): function 'count_packets' is static: programs must be"
                        + " global functions (static ones belong in .text)",
                failure(bytes));
    }

    @Test
    void relocationAgainstSomethingThatIsNotAMapDataOrCode() {
        byte[] bytes = Fixtures.bytes("legacy_maps.v3");
        ElfFile elf = Fixtures.read("legacy_maps.v3");
        Section socket = elf.section("socket").orElseThrow();
        RelocationSection rel = elf.relocationSections().stream().filter(r -> r.target().equals(socket))
                .findFirst().orElseThrow();
        Symbol license = elf.symbols().stream().filter(s -> s.name().equals("_license")).findFirst().orElseThrow();
        long firstEntry = rel.section().offset();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) firstEntry + 12, license.index());
        assertEquals("bad.o: section 'socket' (index 3), insn 6: relocation against '_license', which is neither a"
                + " map, global data nor code", failure(bytes));
    }

    @Test
    void callToSomethingThatIsNotAFunction() {
        byte[] bytes = Fixtures.bytes("subprogs.v3");
        ElfFile elf = Fixtures.read("subprogs.v3");
        Section xdp = elf.section("xdp").orElseThrow();
        RelocationSection rel = elf.relocationSections().stream().filter(r -> r.target().equals(xdp))
                .findFirst().orElseThrow();
        Symbol license = elf.symbols().stream().filter(s -> s.name().equals("_license")).findFirst().orElseThrow();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) rel.section().offset() + 12,
                license.index());
        String message = failure(bytes);
        assertEquals(true, message.matches("bad\\.o: section 'xdp' \\(index \\d+\\), insn \\d+: call to '_license',"
                + " which is not a function of this object"), message);
    }
}
