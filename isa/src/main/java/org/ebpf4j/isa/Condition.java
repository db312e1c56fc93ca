package org.ebpf4j.isa;

/**
 * The comparisons of conditional jumps, written once for the interpreter, the JIT and the verifier's tests. Each
 * comparison is its own small method ({@code jgt64}, {@code jslt32}, ...), which {@link #test64} and {@link #test32}
 * dispatch to and the JIT calls by {@link #methodName}: a call to a few bytes of bytecode costs C2's inlining budget
 * (DesiredMethodLimit, 8000 bytes per compiled method) almost nothing, where the switch would cost 300 bytes a jump.
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
     * The name of the method that evaluates a comparison: {@code "jgt64"} for JGT of JMP, {@code "jgt32"} for JMP32;
     * each takes {@code (long a, long b)} and returns a boolean.
     */
    public static String methodName(int jumpCode, boolean wide) {
        String name = switch (jumpCode) {
            case Opcode.JEQ -> "jeq";
            case Opcode.JNE -> "jne";
            case Opcode.JGT -> "jgt";
            case Opcode.JGE -> "jge";
            case Opcode.JLT -> "jlt";
            case Opcode.JLE -> "jle";
            case Opcode.JSGT -> "jsgt";
            case Opcode.JSGE -> "jsge";
            case Opcode.JSLT -> "jslt";
            case Opcode.JSLE -> "jsle";
            case Opcode.JSET -> "jset";
            default -> throw notACondition(jumpCode);
        };
        return name + (wide ? "64" : "32");
    }

    private static IllegalArgumentException notACondition(int jumpCode) {
        return new IllegalArgumentException("not a conditional jump: 0x" + Integer.toHexString(jumpCode));
    }

    public static boolean jeq64(long a, long b) {
        return a == b;
    }

    public static boolean jne64(long a, long b) {
        return a != b;
    }

    public static boolean jgt64(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    public static boolean jge64(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }

    public static boolean jlt64(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    public static boolean jle64(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    public static boolean jsgt64(long a, long b) {
        return a > b;
    }

    public static boolean jsge64(long a, long b) {
        return a >= b;
    }

    public static boolean jslt64(long a, long b) {
        return a < b;
    }

    public static boolean jsle64(long a, long b) {
        return a <= b;
    }

    public static boolean jset64(long a, long b) {
        return (a & b) != 0;
    }

    public static boolean jeq32(long a, long b) {
        return (int) a == (int) b;
    }

    public static boolean jne32(long a, long b) {
        return (int) a != (int) b;
    }

    public static boolean jgt32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) > 0;
    }

    public static boolean jge32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) >= 0;
    }

    public static boolean jlt32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) < 0;
    }

    public static boolean jle32(long a, long b) {
        return Integer.compareUnsigned((int) a, (int) b) <= 0;
    }

    public static boolean jsgt32(long a, long b) {
        return (int) a > (int) b;
    }

    public static boolean jsge32(long a, long b) {
        return (int) a >= (int) b;
    }

    public static boolean jslt32(long a, long b) {
        return (int) a < (int) b;
    }

    public static boolean jsle32(long a, long b) {
        return (int) a <= (int) b;
    }

    public static boolean jset32(long a, long b) {
        return ((int) a & (int) b) != 0;
    }
}
