package org.ebpf4j.btf;

import static org.ebpf4j.btf.RawBtf.withU32;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Corrupt {@code .BTF.ext}, made from core.el's: header 32 bytes; func_info record size at 32, first block at 36
 * (name, count), first record at 44; core_relo record size at 480, first block at 484, first record at 492.
 */
class MalformedBtfExtTest {
    private static final String FIELDS = "tracepoint/sched/sched_switch";

    static Stream<Arguments> corrupt() {
        byte[] good = Fixtures.bytes("obj/core.el.btf.ext");
        Btf btf = Fixtures.btf("core", "el");
        int taskName = BtfExtTest.ExtWriter.offsetOf(btf, "task");
        return Stream.of(
                Arguments.of("short", Arrays.copyOf(good, 10),
                        "BTF.ext: section is 10 bytes, shorter than the 24-byte header"),
                Arguments.of("bad magic", withU32(good, 0, 0x0001_0000),
                        "BTF.ext: bad magic 0x0000 at byte 0 (expected 0xeb9f in either byte order)"),
                Arguments.of("header length", withU32(good, 4, 2000),
                        "BTF.ext: header length 2000 at byte 4 is not between 24 and the section length 780"),
                Arguments.of("line_info past the end", withU32(good, 20, 4000),
                        "BTF.ext: line_info [84, 4084) extends beyond the section (780 bytes)"),
                Arguments.of("record size below the known fields", withU32(good, 32, 4),
                        "BTF.ext: func_info record size 4 at byte 32 is smaller than the 8 bytes of known fields"),
                Arguments.of("section name outside strings", withU32(good, 36, 99999),
                        "BTF.ext: func_info block at byte 36: section name offset 99999 is outside the string "
                                + "section (" + btf.strings().length() + " bytes)"),
                Arguments.of("too many records", withU32(good, 40, 1000),
                        "BTF.ext: func_info of section '" + FIELDS + "' at byte 36: 1000 records of 8 bytes exceed "
                                + "the 40 bytes left"),
                Arguments.of("unaligned insn_off", withU32(good, 44, 3),
                        "BTF.ext: func_info of section '" + FIELDS + "' record 0 at byte 44: insn_off 3 is not a "
                                + "multiple of 8 bytes"),
                Arguments.of("func type out of range", withU32(good, 48, 900),
                        "BTF.ext: func_info of section '" + FIELDS + "' record 0 at byte 44: type refers to type 900, "
                                + "but the last type id is 19"),
                Arguments.of("func type not a FUNC", withU32(good, 48, 3),
                        "BTF.ext: func_info of section '" + FIELDS + "' record 0 at byte 44: type refers to type 3 "
                                + "(INT 'int'), which is not a FUNC"),
                Arguments.of("unknown CO-RE kind", withU32(good, 504, 13),
                        "BTF.ext: core_relo of section '" + FIELDS + "' record 0 at byte 492: unknown CO-RE "
                                + "relocation kind 13"),
                Arguments.of("access string not indices", withU32(good, 500, taskName),
                        "BTF.ext: core_relo of section '" + FIELDS + "' record 0 at byte 492: access string 'task' "
                                + "is not indices separated by ':'"),
                Arguments.of("core type void", withU32(good, 496, 0),
                        "BTF.ext: core_relo of section '" + FIELDS + "' record 0 at byte 492: type refers to void "
                                + "(type 0)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void rejectedWithAMessageNamingTheFault(String name, byte[] data, String message) {
        Btf btf = Fixtures.btf("core", "el");
        assertEquals(message, assertThrows(BtfFormatException.class, () -> BtfExt.parse(data, btf)).getMessage());
    }
}
