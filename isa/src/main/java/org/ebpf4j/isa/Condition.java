package org.ebpf4j.isa;

/**
 * The comparisons of conditional jumps, written once for the interpreter, the JIT and the verifier's tests:
 * {@link #test64} and {@link #test32} compute them, and {@link #relation} with {@link #isUnsigned} describe the same
 * comparisons to code generators that emit their own compare-and-branch.
 */
public final class Condition {
    private Condition() {}

    /** Evaluates a 64-bit (JMP) comparison. */
    public static boolean test64(int jumpCode, long a, long b) {
        return switch (jumpCode) {
            case Opcode.JEQ -> jeq64(a, b);
            case Opcode.JNE -> jne64(a, b);
            case Opcode.JGT -> jgt64(a, b);
            case Opcode.JGE -> jge64(a, b);
            case Opcode.JLT -> jlt64(a, b);
            case Opcode.JLE -> jle64(a, b);
            case Opcode.JSGT -> jsgt64(a, b);
            case Opcode.JSGE -> jsge64(a, b);
            case Opcode.JSLT -> jslt64(a, b);
            case Opcode.JSLE -> jsle64(a, b);
            case Opcode.JSET -> jset64(a, b);
            default -> throw notACondition(jumpCode);
        };
    }

    /** Evaluates a 32-bit (JMP32) comparison on the low halves of both operands. */
    public static boolean test32(int jumpCode, long a, long b) {
        return switch (jumpCode) {
            case Opcode.JEQ -> jeq32(a, b);
            case Opcode.JNE -> jne32(a, b);
            case Opcode.JGT -> jgt32(a, b);
            case Opcode.JGE -> jge32(a, b);
            case Opcode.JLT -> jlt32(a, b);
            case Opcode.JLE -> jle32(a, b);
            case Opcode.JSGT -> jsgt32(a, b);
            case Opcode.JSGE -> jsge32(a, b);
            case Opcode.JSLT -> jslt32(a, b);
            case Opcode.JSLE -> jsle32(a, b);
            case Opcode.JSET -> jset32(a, b);
            default -> throw notACondition(jumpCode);
        };
    }

    /**
     * What a conditional jump asks of its two operands, for code generators that emit their own compare-and-branch
     * (the JIT); ConditionTest holds this description to what {@link #test64} and {@link #test32} compute.
     */
    public enum Relation {
        EQUAL, NOT_EQUAL, GREATER, GREATER_OR_EQUAL, LESS, LESS_OR_EQUAL,
        /** JSET: the operands have a set bit in common. */
        COMMON_BIT
    }

    public static Relation relation(int jumpCode) {
        return switch (jumpCode) {
            case Opcode.JEQ -> Relation.EQUAL;
            case Opcode.JNE -> Relation.NOT_EQUAL;
            case Opcode.JGT, Opcode.JSGT -> Relation.GREATER;
            case Opcode.JGE, Opcode.JSGE -> Relation.GREATER_OR_EQUAL;
            case Opcode.JLT, Opcode.JSLT -> Relation.LESS;
            case Opcode.JLE, Opcode.JSLE -> Relation.LESS_OR_EQUAL;
            case Opcode.JSET -> Relation.COMMON_BIT;
            default -> throw notACondition(jumpCode);
        };
    }

    /** Whether the jump orders its operands as unsigned numbers (JGT, JGE, JLT, JLE). */
    public static boolean isUnsigned(int jumpCode) {
        return switch (jumpCode) {
            case Opcode.JGT, Opcode.JGE, Opcode.JLT, Opcode.JLE -> true;
            default -> false;
        };
    }

    private static IllegalArgumentException notACondition(int jumpCode) {
        return new IllegalArgumentException("not a conditional jump: 0x" + Integer.toHexString(jumpCode));
    }

    private static boolean jeq64(long a, long b) {
        return a == b;
    }

    private static boolean jne64(long a, long b) {
        return a != b;
    }

    private static boolean jgt64(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    private static boolean jge64(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    private static boolean jlt64(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    private static boolean jle64(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    private static boolean jsgt64(long a, long b) {
        return a > b;
    }

    private static boolean jsge64(long a, long b) {
        return a >= b;
    }

    private static boolean jslt64(long a, long b) {
        return a < b;
    }

    private static boolean jsle64(long a, long b) {
        return a <= b;
    }

    private static boolean jset64(long a, long b) {
        return (a & b) != 0;
    }

    private static boolean jeq32(long a, long b) {
        return (int) a == (int) b;
    }

    private static boolean jne32(long a, long b) {
        return (int) a != (int) b;
    }

    private static boolean jgt32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) > 0;
    }

    private static boolean jge32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) >= 0;
    }

    private static boolean jlt32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) < 0;
    }

    private static boolean jle32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) <= 0;
    }

    private static boolean jsgt32(long a, long b) {
        return (int) a > (int) b;
    }

    private static boolean jsge32(long a, long b) {
        return (int) a >= (int) b;
    }

    private static boolean jslt32(long a, long b) {
        return (int) a < (int) b;
    }

    private static boolean jsle32(long a, long b) {
        return (int) a <= (int) b;
    }

    private static boolean jset32(long a, long b) {
        return ((int) a & (int) b) != 0;
    }
}
