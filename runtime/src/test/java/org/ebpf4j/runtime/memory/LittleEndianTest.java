package org.ebpf4j.runtime.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.util.List;
import org.junit.jupiter.api.Test;

class LittleEndianTest {
    /** HotSpot's MaxInlineSize: C2 inlines a callee up to this many bytes of bytecode at any call site. */
    private static final int MAX_INLINE_SIZE = 35;

    @Test
    void readsEachWidthZeroExtended() {
        byte[] data = {(byte) 0xf1, (byte) 0xf2, (byte) 0xf3, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7,
                (byte) 0xf8, 0x09};
        assertEquals(0xf2L, LittleEndian.get(data, 1, 1));
        assertEquals(0xf3f2L, LittleEndian.get(data, 1, 2));
        assertEquals(0xf5f4_f3f2L, LittleEndian.get(data, 1, 4));
        assertEquals(0x09f8_f7f6_f5f4_f3f2L, LittleEndian.get(data, 1, 8));
    }

    @Test
    void writesEachWidthsLowBytesOnly() {
        for (int size : new int[] {1, 2, 4, 8}) {
            byte[] data = new byte[10];
            LittleEndian.set(data, 1, size, 0x0807_0605_0403_0201L);
            byte[] expected = new byte[10];
            for (int i = 0; i < size; i++) {
                expected[1 + i] = (byte) (i + 1);
            }
            assertArrayEquals(expected, data, "size " + size);
        }
    }

    @Test
    void anAccessPastTheArrayThrowsIndexOutOfBounds() {
        byte[] data = new byte[8];
        for (int size : new int[] {1, 2, 4, 8}) {
            int at = 9 - size;
            assertThrows(IndexOutOfBoundsException.class,
                    () -> LittleEndian.get(data, at, size), "get size " + size);
            assertThrows(IndexOutOfBoundsException.class,
                    () -> LittleEndian.set(data, at, size, 0), "set size " + size);
        }
    }

    /** No size but 1, 2, 4 and 8 reads or writes anything: a 3-byte access is refused, not served as one byte. */
    @Test
    void otherSizesAreRefused() {
        byte[] data = new byte[16];
        var segment = java.lang.foreign.MemorySegment.ofArray(new byte[16]);
        for (int size : new int[] {0, 3, 5, 6, 7, 16}) {
            assertThrows(IllegalArgumentException.class, () -> LittleEndian.get(data, 0, size), "get size " + size);
            assertThrows(IllegalArgumentException.class, () -> LittleEndian.set(data, 0, size, -1),
                    "set size " + size);
            assertThrows(IllegalArgumentException.class, () -> LittleEndian.get(segment, 0, size),
                    "segment get size " + size);
            assertThrows(IllegalArgumentException.class, () -> LittleEndian.set(segment, 0, size, -1),
                    "segment set size " + size);
        }
        assertArrayEquals(new byte[16], data);
    }

    /**
     * The array accessors are a chain of methods that C2 inlines wherever they are called, because each is within
     * MaxInlineSize: one bigger method was left a call at the call sites its profile found rare (the JIT's 8-byte
     * stack stores next to a loop's byte stores), which cost the sieve a quarter of its time. A method growing past
     * the limit brings that back without failing any other test.
     */
    @Test
    void everyArrayAccessorIsSmallEnoughForC2ToInlineAnywhere() throws IOException {
        List<MethodModel> arrayMethods;
        try (InputStream in = LittleEndian.class.getResourceAsStream("LittleEndian.class")) {
            arrayMethods = ClassFile.of().parse(in.readAllBytes()).methods().stream()
                    .filter(method -> method.methodTypeSymbol().parameterCount() > 0
                            && method.methodTypeSymbol().parameterType(0).descriptorString().equals("[B"))
                    .toList();
        }
        assertFalse(arrayMethods.isEmpty());
        for (MethodModel method : arrayMethods) {
            int length = method.findAttribute(Attributes.code()).map(CodeAttribute::codeLength)
                    .orElseThrow();
            assertTrue(length <= MAX_INLINE_SIZE, method.methodName() + " has " + length + " bytes of bytecode");
        }
    }
}
