package org.ebpf4j.isa;

/** The comparisons of conditional jumps, written once for the interpreter, the JIT and the verifier's tests. */
public final class Condition {
    private Condition() {}

    /** Evaluates a 64-bit (JMP) comparison. */
    public static boolean test64(int jumpCode, long a, long b) {
        return switch (jumpCode) {
            case Opcode.JEQ -> a == b;
            case Opcode.JNE -> a != b;
            case Opcode.JGT -> Long.compareUnsigned(a, b) > 0;
            case Opcode.JGE -> Long.compareUnsigned(a, b) >= 0;
            case Opcode.JLT -> Long.compareUnsigned(a, b) < 0;
            case Opcode.JLE -> Long.compareUnsigned(a, b) <= 0;
            case Opcode.JSGT -> a > b;
            case Opcode.JSGE -> a >= b;
            case Opcode.JSLT -> a < b;
            case Opcode.JSLE -> a <= b;
            case Opcode.JSET -> (a & b) != 0;
            default -> throw new IllegalArgumentException("not a conditional jump: 0x" + Integer.toHexString(jumpCode));
        };
    }

    /** Evaluates a 32-bit (JMP32) comparison on the low halves of both operands. */
    public static boolean test32(int jumpCode, long a, long b) {
        int x = (int) a;
        int y = (int) b;
        return switch (jumpCode) {
            case Opcode.JEQ -> x == y;
            case Opcode.JNE -> x != y;
            case Opcode.JGT -> Integer.compareUnsigned(x, y) > 0;
            case Opcode.JGE -> Integer.compareUnsigned(x, y) >= 0;
            case Opcode.JLT -> Integer.compareUnsigned(x, y) < 0;
            case Opcode.JLE -> Integer.compareUnsigned(x, y) <= 0;
            case Opcode.JSGT -> x > y;
            case Opcode.JSGE -> x >= y;
            case Opcode.JSLT -> x < y;
            case Opcode.JSLE -> x <= y;
            case Opcode.JSET -> (x & y) != 0;
            default -> throw new IllegalArgumentException("not a conditional jump: 0x" + Integer.toHexString(jumpCode));
        };
    }
}
