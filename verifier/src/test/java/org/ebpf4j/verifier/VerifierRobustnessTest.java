package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random programs, mostly made of real opcodes with small fields so that many get deep into the walk: the
 * verifier must answer every one with a verdict, never an exception.
 */
class VerifierRobustnessTest {
    private static final int PROGRAMS = 20_000;

    @Test
    void everyRandomProgramGetsAVerdict() {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int n = 0; n < PROGRAMS; n++) {
            byte[] code = program(random);
            try {
                assertNotNull(Verifier.verify(code, VerifierOptions.socketFilter()));
            } catch (RuntimeException e) {
                throw new AssertionError("program " + n + ": " + java.util.HexFormat.of().formatHex(code), e);
            }
        }
    }

    static byte[] program(SplittableRandom random) {
        int slots = 1 + random.nextInt(12);
        ByteBuffer out = ByteBuffer.allocate((slots + 1) * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < slots; i++) {
            int opcode = random.nextInt(4) == 0 ? random.nextInt(256) : COMMON[random.nextInt(COMMON.length)];
            int dst = random.nextInt(10) == 0 ? random.nextInt(16) : random.nextInt(11);
            int src = random.nextInt(10) == 0 ? random.nextInt(16) : random.nextInt(11);
            int off = random.nextInt(3) == 0 ? -8 * (1 + random.nextInt(4)) : random.nextInt(-2, 4);
            int imm = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(-2, 70);
            out.put((byte) opcode).put((byte) (src << 4 | dst)).putShort((short) off).putInt(imm);
        }
        out.put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0);
        return out.array();
    }

    /** ALU, jumps, stack loads and stores, atomics, lddw, calls and exit. */
    private static final int[] COMMON = {
        0x07, 0x0f, 0x17, 0x1f, 0x27, 0x37, 0x47, 0x57, 0x67, 0x6f, 0x77, 0x7f, 0x87, 0x97, 0xa7, 0xb7, 0xbf,
        0xc7, 0xd7, 0x04, 0x0c, 0x14, 0x24, 0x34, 0x44, 0x54, 0x64, 0x74, 0x84, 0x94, 0xa4, 0xb4, 0xbc, 0xc4,
        0xd4, 0xdc, 0x05, 0x06, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x45, 0x55, 0x5d, 0x65, 0x75, 0xa5, 0xb5, 0xc5,
        0xd5, 0x16, 0x1e, 0x56, 0xa6, 0x85, 0x95, 0x61, 0x69, 0x71, 0x79, 0x81, 0x89, 0x91, 0x62, 0x6a, 0x72,
        0x7a, 0x63, 0x6b, 0x73, 0x7b, 0xc3, 0xdb, 0x18,
    };
}
