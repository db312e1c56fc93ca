package org.ebpf4j.btf;

import static org.ebpf4j.btf.BtfKind.*;
import static org.ebpf4j.btf.RawBtf.build;
import static org.ebpf4j.btf.RawBtf.info;
import static org.ebpf4j.btf.RawBtf.withU32;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Corrupt BTF, one fault each, and the message that must name it. */
class MalformedBtfTest {
    /** Offsets: int=1, foo=5, x=9, t=11. */
    private static final String STRINGS = "\0int\0foo\0x\0t\0";
    private static final int INT_SIGNED_32 = 1 << 24 | 32;

    /** [1] INT 'int' (bytes 24..40), [2] STRUCT 'foo' size 4 { int x } (40..64), [3] PTR -> 2 (64..76). */
    private static int[] valid() {
        return new int[] {
            1, info(INT, 0), 4, INT_SIGNED_32,
            5, info(STRUCT, 1), 4, 9, 1, 0,
            0, info(PTR, 0), 2,
        };
    }

    private static int[] validWith(int index, int value) {
        int[] words = valid();
        words[index] = value;
        return words;
    }

    private static int[] concat(int[] a, int... b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Stream<Arguments> corrupt() {
        byte[] good = build(STRINGS, valid());
        return Stream.of(
                Arguments.of("shorter than a header", Arrays.copyOf(good, 10),
                        "BTF: section is 10 bytes, shorter than the 24-byte header"),
                Arguments.of("bad magic", withU32(good, 0, 0x0001_1234),
                        "BTF: bad magic 0x3412 at byte 0 (expected 0xeb9f in either byte order)"),
                Arguments.of("version 2", withU32(good, 0, 0x0002_eb9f),
                        "BTF: unsupported version 2 at byte 2 (expected 1)"),
                Arguments.of("flags", withU32(good, 0, 0x0401_eb9f), "BTF: flags 0x4 at byte 3 must be 0"),
                Arguments.of("header too short", withU32(good, 4, 20),
                        "BTF: header length 20 at byte 4 is shorter than 24"),
                Arguments.of("header longer than the section", withU32(good, 4, 4096),
                        "BTF: header length 4096 at byte 4 exceeds the section (89 bytes)"),
                Arguments.of("unaligned type offset", withU32(good, 8, 2),
                        "BTF: type section offset 2 at byte 8 is not 4-byte aligned"),
                Arguments.of("type section past the end", withU32(good, 12, 1000),
                        "BTF: type section [0, 1000) at byte 8 extends beyond the 65 bytes after the header"),
                Arguments.of("string length past the end", withU32(good, 20, 14),
                        "BTF: string section [52, 66) at byte 16 extends beyond the 65 bytes after the header"),
                Arguments.of("sections overlap", withU32(good, 16, 48),
                        "BTF: type section [0, 52) and string section [48, 61) overlap"),
                Arguments.of("empty string section", withU32(good, 20, 0),
                        "BTF: string section at byte 76 is empty, but offset 0 must hold the empty string"),
                Arguments.of("strings do not start with NUL", build("x\0int\0foo\0x\0", valid()),
                        "BTF: string section at byte 76 must start with NUL (offset 0 is the empty string)"),
                Arguments.of("strings do not end with NUL", build("\0int\0foo\0x\0t", valid()),
                        "BTF: string section at byte 76 (12 bytes) does not end with NUL"),
                Arguments.of("truncated type header", build(STRINGS, concat(valid(), 0, info(PTR, 0))),
                        "BTF: type 4 at byte 76: truncated type header: 12 bytes needed, 8 left"),
                Arguments.of("unknown kind", build(STRINGS, validWith(1, 20 << 24)),
                        "BTF: type 1 at byte 24: unknown kind 20"),
                Arguments.of("kind 0", build(STRINGS, validWith(1, 0)), "BTF: type 1 at byte 24: unknown kind 0"),
                Arguments.of("name outside strings", build(STRINGS, validWith(0, 500)),
                        "BTF: type 1 (INT) at byte 24: name offset 500 is outside the string section (13 bytes)"),
                Arguments.of("unused info bits", build(STRINGS, validWith(1, info(INT, 0) | 1 << 16)),
                        "BTF: type 1 (INT 'int') at byte 24: unused info bits set (info 0x01010000)"),
                Arguments.of("kind_flag on INT", build(STRINGS, validWith(1, info(INT, 0, true))),
                        "BTF: type 1 (INT 'int') at byte 24: kind_flag must be 0 for INT"),
                Arguments.of("vlen on INT", build(STRINGS, validWith(1, info(INT, 2))),
                        "BTF: type 1 (INT 'int') at byte 24: vlen 2 must be 0 for INT"),
                Arguments.of("INT size 3", build(STRINGS, validWith(2, 3)),
                        "BTF: type 1 (INT 'int') at byte 24: size 3 is not 1, 2, 4, 8 or 16"),
                Arguments.of("INT nr_bits 0", build(STRINGS, validWith(3, 1 << 24)),
                        "BTF: type 1 (INT 'int') at byte 24: nr_bits 0 is not in 1..128"),
                Arguments.of("INT wider than its size", build(STRINGS, validWith(3, 1 << 24 | 8 << 16 | 32)),
                        "BTF: type 1 (INT 'int') at byte 24: bits_offset 8 + nr_bits 32 exceed the size of 4 bytes"),
                Arguments.of("INT two encodings", build(STRINGS, validWith(3, 3 << 24 | 32)),
                        "BTF: type 1 (INT 'int') at byte 24: encoding 0x3 combines SIGNED, CHAR and BOOL "
                                + "(at most one allowed)"),
                Arguments.of("INT unused data bits", build(STRINGS, validWith(3, 1 << 28 | 32)),
                        "BTF: type 1 (INT 'int') at byte 24: unused INT data bits set (0x10000020)"),
                Arguments.of("vlen past the end", build(STRINGS, validWith(5, info(STRUCT, 5))),
                        "BTF: type 2 (STRUCT 'foo') at byte 40: 5 members need 60 bytes, but 24 are left in the "
                                + "type section"),
                Arguments.of("member name outside strings", build(STRINGS, validWith(7, 99)),
                        "BTF: type 2 (STRUCT 'foo') at byte 40: member 0 name offset 99 is outside the string "
                                + "section (13 bytes)"),
                Arguments.of("member type out of range", build(STRINGS, validWith(8, 900)),
                        "BTF: type 2 (STRUCT 'foo') member 0 refers to type 900, but the last type id is 3"),
                Arguments.of("member type void", build(STRINGS, validWith(8, 0)),
                        "BTF: type 2 (STRUCT 'foo') member 0 refers to void (type 0), which is not allowed here"),
                Arguments.of("member past the struct", build(STRINGS, validWith(9, 8)),
                        "BTF: type 2 (STRUCT 'foo') member 0 ('x') at bit 8 with 32 bits exceeds the size of 4 bytes"),
                Arguments.of("type id beyond BTF_MAX_TYPE", build(STRINGS, validWith(12, 0x10_0000)),
                        "BTF: type 3 (PTR '(anon)') at byte 64: type id 1048576 exceeds the maximum 1048575"),
                Arguments.of("named pointer", build(STRINGS, validWith(10, 9)),
                        "BTF: type 3 (PTR 'x') at byte 64: a PTR must not have a name"),
                Arguments.of("pointer out of range", build(STRINGS, validWith(12, 4)),
                        "BTF: type 3 (PTR '(anon)') refers to type 4, but the last type id is 3"),
                Arguments.of("typedef cycle", build(STRINGS, concat(valid(), 11, info(TYPEDEF, 0), 5, 0,
                        info(CONST, 0), 4)),
                        "BTF: type 4 (TYPEDEF 't') is part of a cycle through typedefs, qualifiers or array elements"),
                Arguments.of("unnamed typedef", build(STRINGS, concat(valid(), 0, info(TYPEDEF, 0), 1)),
                        "BTF: type 4 (TYPEDEF '(anon)') at byte 76: a TYPEDEF must have a name"),
                Arguments.of("FUNC of an INT", build(STRINGS, concat(valid(), 11, info(FUNC, 1), 1)),
                        "BTF: type 4 (FUNC 't') refers to type 1 (INT 'int'), which is not a FUNC_PROTO"),
                Arguments.of("FUNC linkage 3", build(STRINGS, concat(valid(), 11, info(FUNC, 3), 1)),
                        "BTF: type 4 (FUNC 't') at byte 76: vlen 3 is not a linkage (0 static, 1 global, 2 extern)"),
                Arguments.of("VAR linkage 7", build(STRINGS, concat(valid(), 11, info(VAR, 0), 1, 7)),
                        "BTF: type 4 (VAR 't') at byte 76: linkage 7 is not a linkage (0 static, 1 global, 2 extern)"),
                Arguments.of("void parameter in the middle", build(STRINGS, concat(valid(), 0, info(FUNC_PROTO, 2),
                        1, 0, 0, 9, 1)),
                        "BTF: type 4 (FUNC_PROTO '(anon)') at byte 76: parameter 0 has type void (only an unnamed "
                                + "last one may, for ...)"),
                Arguments.of("ARRAY of void", build(STRINGS, concat(valid(), 0, info(ARRAY, 0), 0, 0, 1, 4)),
                        "BTF: type 4 (ARRAY '(anon)') element type refers to void (type 0), which is not allowed here"),
                Arguments.of("ENUM size 3", build(STRINGS, concat(valid(), 11, info(ENUM, 0), 3)),
                        "BTF: type 4 (ENUM 't') at byte 76: size 3 is not 1, 2, 4 or 8"),
                Arguments.of("FLOAT size 5", build(STRINGS, concat(valid(), 11, info(FLOAT, 0), 5)),
                        "BTF: type 4 (FLOAT 't') at byte 76: size 5 is not 2, 4, 8, 12 or 16"),
                Arguments.of("DATASEC of an INT", build(STRINGS, concat(valid(), 11, info(DATASEC, 1), 0, 1, 0, 4)),
                        "BTF: type 4 (DATASEC 't') variable 0 refers to type 1 (INT 'int'), which is not one of "
                                + "VAR, FUNC"),
                Arguments.of("DATASEC variable past its size", build(STRINGS, concat(valid(), 11, info(VAR, 0), 1, 1,
                        11, info(DATASEC, 1), 4, 4, 2, 4)),
                        "BTF: type 5 (DATASEC 't') at byte 92: variable 0 at offset 2 of size 4 exceeds the section "
                                + "size 4"),
                Arguments.of("DECL_TAG component out of range", build(STRINGS, concat(valid(), 11, info(DECL_TAG, 0),
                        2, 1)),
                        "BTF: type 4 (DECL_TAG 't') component_idx 1 is out of range for type 2 (STRUCT 'foo') with "
                                + "1 members"),
                Arguments.of("DECL_TAG component below -1", build(STRINGS, concat(valid(), 11, info(DECL_TAG, 0),
                        2, -2)),
                        "BTF: type 4 (DECL_TAG 't') at byte 76: component_idx -2 is below -1"),
                Arguments.of("DECL_TAG on a PTR", build(STRINGS, concat(valid(), 11, info(DECL_TAG, 0), 3, -1)),
                        "BTF: type 4 (DECL_TAG 't') refers to type 3 (PTR '(anon)'), which is not one of STRUCT, "
                                + "UNION, VAR, FUNC, TYPEDEF"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void rejectedWithAMessageNamingTheFault(String name, byte[] data, String message) {
        assertEquals(message, assertThrows(BtfFormatException.class, () -> Btf.parse(data)).getMessage());
    }

    @Test
    void memberSearchEndsOnAStructThatHoldsItselfAnonymously() {
        // [1] INT 'int', [2] STRUCT 'foo' size 4 { anonymous member of type 2 at bit 0 }: C cannot say it, BTF can.
        Btf btf = Btf.parse(build(STRINGS, 1, info(INT, 0), 4, INT_SIGNED_32, 5, info(STRUCT, 1), 4, 0, 2, 0));
        assertTrue(btf.member(2, "x").isEmpty());
    }

    @Test
    void theBaseOfTheTableIsValidInBothByteOrders() {
        for (var order : new java.nio.ByteOrder[] {java.nio.ByteOrder.LITTLE_ENDIAN, java.nio.ByteOrder.BIG_ENDIAN}) {
            Btf btf = Btf.parse(build(order, STRINGS, valid()));
            assertEquals("[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n"
                    + "[2] STRUCT 'foo' size=4 vlen=1\n\t'x' type_id=1 bits_offset=0\n"
                    + "[3] PTR '(anon)' type_id=2\n", BtfDump.raw(btf));
        }
    }
}
