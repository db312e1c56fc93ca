package org.ebpf4j.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The description of each jump ({@link Condition#relation}, {@link Condition#isUnsigned}) says what its method computes. */
class ConditionTest {
    private static final int[] JUMPS = {Opcode.JEQ, Opcode.JGT, Opcode.JGE, Opcode.JSET, Opcode.JNE, Opcode.JSGT,
        Opcode.JSGE, Opcode.JLT, Opcode.JLE, Opcode.JSLT, Opcode.JSLE};
    private static final long[] EDGES = {0, 1, 2, -1, -2, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L,
        0x17fffffffL, 0xffffffff00000000L, 0xffffffff80000000L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000000000000001L};

    @Test
    void descriptionAgreesWithTheMethodsOnEdgeAndRandomOperands() {
        var random = new Random(9669);
        for (int jump : JUMPS) {
            for (long a : EDGES) {
                for (long b : EDGES) {
                    check(jump, a, b);
                }
            }
            for (int i = 0; i < 2000; i++) {
                check(jump, random.nextLong(), random.nextLong());
            }
        }
    }

    @Test
    void aCodeThatIsNoConditionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Condition.relation(Opcode.JA));
        assertThrows(IllegalArgumentException.class, () -> Condition.relation(Opcode.CALL));
    }

    private static void check(int jump, long a, long b) {
        assertEquals(Condition.test64(jump, a, b), described(jump, a, b), () -> message(jump, 64, a, b));
        assertEquals(Condition.test32(jump, a, b), described(jump, (int) a, (int) b), () -> message(jump, 32, a, b));
    }

    private static boolean described(int jump, long a, long b) {
        int order = Condition.isUnsigned(jump) ? Long.compareUnsigned(a, b) : Long.compare(a, b);
        return switch (Condition.relation(jump)) {
            case EQUAL -> order == 0;
            case NOT_EQUAL -> order != 0;
            case GREATER -> order > 0;
            case GREATER_OR_EQUAL -> order >= 0;
            case LESS -> order < 0;
            case LESS_OR_EQUAL -> order <= 0;
            case COMMON_BIT -> (a & b) != 0;
        };
    }

    private static String message(int jump, int bits, long a, long b) {
        return String.format("jump 0x%02x, %d-bit, a=0x%x b=0x%x", jump, bits, a, b);
    }
}
