package org.ebpf4j.isa;

/**
 * The numbers of the eBPF opcode byte, as RFC 9669 and {@code linux/bpf_common.h} define them.
 *
 * <p>Every number of the encoding is written here once; the typed views ({@link OpClass}, {@link AluOp},
 * {@link JumpOp}, {@link Size}, {@link Mode}, {@link AtomicOp}) refer to these constants, and switch statements
 * over whole opcodes build their case labels from them ({@code case ALU64 | ADD | X}).
 *
 * <pre>
 * arithmetic and jump classes          load and store classes
 *   7 6 5 4   3     2 1 0                7 6 5   4 3   2 1 0
 *  +-------+-----+-------+              +------+-----+-------+
 *  | code  | src | class |              | mode | size| class |
 *  +-------+-----+-------+              +------+-----+-------+
 * </pre>
 */
public final class Opcode {
    private Opcode() {}

    // Classes: bits 0-2.
    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int JMP32 = 0x06;
    public static final int ALU64 = 0x07;
    public static final int CLASS_MASK = 0x07;

    // Operand source: bit 3 (K: the immediate, X: src_reg). For END it selects the byte order (K: le, X: be).
    public static final int K = 0x00;
    public static final int X = 0x08;
    public static final int SOURCE_MASK = 0x08;
    public static final int TO_LE = K;
    public static final int TO_BE = X;

    // Arithmetic operation codes: bits 4-7.
    public static final int ADD = 0x00;
    public static final int SUB = 0x10;
    public static final int MUL = 0x20;
    public static final int DIV = 0x30;
    public static final int OR = 0x40;
    public static final int AND = 0x50;
    public static final int LSH = 0x60;
    public static final int RSH = 0x70;
    public static final int NEG = 0x80;
    public static final int MOD = 0x90;
    public static final int XOR = 0xa0;
    public static final int MOV = 0xb0;
    public static final int ARSH = 0xc0;
    public static final int END = 0xd0;
    public static final int CODE_MASK = 0xf0;

    // Jump operation codes: bits 4-7.
    public static final int JA = 0x00;
    public static final int JEQ = 0x10;
    public static final int JGT = 0x20;
    public static final int JGE = 0x30;
    public static final int JSET = 0x40;
    public static final int JNE = 0x50;
    public static final int JSGT = 0x60;
    public static final int JSGE = 0x70;
    public static final int CALL = 0x80;
    public static final int EXIT = 0x90;
    public static final int JLT = 0xa0;
    public static final int JLE = 0xb0;
    public static final int JSLT = 0xc0;
    public static final int JSLE = 0xd0;

    // Access sizes: bits 3-4.
    public static final int W = 0x00;
    public static final int H = 0x08;
    public static final int B = 0x10;
    public static final int DW = 0x18;
    public static final int SIZE_MASK = 0x18;

    // Addressing modes: bits 5-7.
    public static final int IMM = 0x00;
    public static final int ABS = 0x20;
    public static final int IND = 0x40;
    public static final int MEM = 0x60;
    public static final int MEMSX = 0x80;
    public static final int ATOMIC = 0xc0;
    public static final int MODE_MASK = 0xe0;

    // Atomic operations, in the imm field of STX | ATOMIC.
    public static final int FETCH = 0x01;
    public static final int XCHG = 0xe0 | FETCH;
    public static final int CMPXCHG = 0xf0 | FETCH;

    // src_reg of a CALL.
    public static final int CALL_HELPER = 0;
    public static final int CALL_LOCAL = 1;
    public static final int CALL_KFUNC = 2;

    // src_reg of LD | IMM | DW (lddw): how the 64-bit immediate is to be read (linux/bpf.h BPF_PSEUDO_*).
    public static final int PSEUDO_NONE = 0;
    public static final int PSEUDO_MAP_FD = 1;
    public static final int PSEUDO_MAP_VALUE = 2;
    public static final int PSEUDO_BTF_ID = 3;
    public static final int PSEUDO_FUNC = 4;
    public static final int PSEUDO_MAP_IDX = 5;
    public static final int PSEUDO_MAP_IDX_VALUE = 6;

    /** The opcode of lddw, the only instruction that takes two 8-byte slots. */
    public static final int LDDW = LD | IMM | DW;

    public static int opClass(int opcode) {
        return opcode & CLASS_MASK;
    }

    public static int code(int opcode) {
        return opcode & CODE_MASK;
    }

    public static int source(int opcode) {
        return opcode & SOURCE_MASK;
    }

    public static int size(int opcode) {
        return opcode & SIZE_MASK;
    }

    public static int mode(int opcode) {
        return opcode & MODE_MASK;
    }

    public static boolean isAlu(int opcode) {
        int c = opClass(opcode);
        return c == ALU || c == ALU64;
    }

    public static boolean isJump(int opcode) {
        int c = opClass(opcode);
        return c == JMP || c == JMP32;
    }

    public static boolean isLoadStore(int opcode) {
        return opClass(opcode) <= STX;
    }

    /** Bytes moved by a load or store of this opcode's size field. */
    public static int sizeBytes(int opcode) {
        return switch (size(opcode)) {
            case W -> 4;
            case H -> 2;
            case B -> 1;
            default -> 8;
        };
    }
}
