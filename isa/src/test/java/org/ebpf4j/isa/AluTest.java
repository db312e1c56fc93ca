package org.ebpf4j.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The RFC 9669 corner cases, checked on the one implementation every engine uses. */
class AluTest {
    private static final long INT_MIN_ZEXT = 0x8000_0000L;

    @Test
    void divisionByZeroGivesZero() {
        assertEquals(0, Alu.div64(7, 0));
        assertEquals(0, Alu.div32(7, 0));
        assertEquals(0, Alu.sdiv64(-7, 0));
        assertEquals(0, Alu.sdiv32(-7, 0));
        assertEquals(0, Alu.div32(7, 0x1_0000_0000L), "the 32-bit divisor is the low half only");
    }

    @Test
    void moduloByZeroKeepsTheDividendTruncatedIn32Bits() {
        assertEquals(-7, Alu.mod64(-7, 0));
        assertEquals(-7, Alu.smod64(-7, 0));
        assertEquals(0xffff_fff9L, Alu.mod32(-7, 0));
        assertEquals(0xffff_fff9L, Alu.smod32(-7, 0));
    }

    @Test
    void signedOverflowCases() {
        assertEquals(Long.MIN_VALUE, Alu.sdiv64(Long.MIN_VALUE, -1));
        assertEquals(0, Alu.smod64(Long.MIN_VALUE, -1));
        assertEquals(INT_MIN_ZEXT, Alu.sdiv32(Integer.MIN_VALUE, -1));
        assertEquals(0, Alu.smod32(Integer.MIN_VALUE, -1));
    }

    @Test
    void unsignedAndSignedDivisionDiffer() {
        assertEquals(Long.divideUnsigned(-8, 3), Alu.div64(-8, 3));
        assertEquals(-2, Alu.sdiv64(-8, 3));
        assertEquals(-2, Alu.smod64(-8, 3));
        assertEquals(2, Alu.smod64(8, -3), "the remainder takes the dividend's sign");
        assertEquals(0xffff_fffeL, Alu.sdiv32(-8, 3));
    }

    @Test
    void shiftAmountsAreMaskedToTheWidth() {
        assertEquals(2, Alu.lsh64(1, 65));
        assertEquals(2, Alu.lsh32(1, 33));
        assertEquals(0x4000_0000L, Alu.rsh32(0x8000_0000L, 33));
        assertEquals(0xc000_0000L, Alu.arsh32(0x8000_0000L, 33));
        assertEquals(Long.MIN_VALUE >> 1, Alu.arsh64(Long.MIN_VALUE, 65));
    }

    @Test
    void thirtyTwoBitResultsAreZeroExtended() {
        assertEquals(0xffff_ffffL, Alu.sdiv32(-1, 1));
        assertEquals(0xffff_ffffL, Alu.arsh32(-1, 4));
    }

    @Test
    void signExtensionAndByteSwaps() {
        assertEquals(-128, Alu.signExtend(0x80, 8));
        assertEquals(-32768, Alu.signExtend(0x8000, 16));
        assertEquals(Integer.MIN_VALUE, Alu.signExtend(0x8000_0000L, 32));
        assertEquals(0x3412, Alu.byteSwap(0x1234, 16));
        assertEquals(0x3412, Alu.byteSwap(0xffff_1234L, 16));
        assertEquals(0x7856_3412L, Alu.byteSwap(0x1234_5678L, 32));
        assertEquals(0x8877_6655_4433_2211L, Alu.byteSwap(0x1122_3344_5566_7788L, 64));
        assertEquals(0x5678, Alu.toLittleEndian(0x1234_5678L, 16));
        assertEquals(0x1234_5678L, Alu.toLittleEndian(0xaaaa_bbbb_1234_5678L, 32));
    }

    @Test
    void conditionsCompareUnsignedSignedAndOnLowHalves() {
        assertEquals(true, Condition.test64(Opcode.JGT, -1, 1));
        assertEquals(false, Condition.test64(Opcode.JSGT, -1, 1));
        assertEquals(true, Condition.test32(Opcode.JEQ, 0x1_0000_0005L, 5));
        assertEquals(true, Condition.test32(Opcode.JSLT, 0xffff_ffffL, 0));
        assertEquals(true, Condition.test64(Opcode.JSET, 6, 2));
    }
}
