package org.ebpf4j.isa.text;

import static org.ebpf4j.isa.Opcode.*;

import java.util.function.LongFunction;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.InstructionRules;

/**
 * Writes one instruction in llvm-objdump's BPF syntax. In {@link Syntax#LLVM_OBJDUMP} it follows LLVM's decoder
 * field by field: the fields LLVM ignores for a form are ignored here too, and whatever LLVM cannot decode reads
 * {@code <unknown>}. {@link Syntax#LOSSLESS} differs only where that text would lose a field.
 */
final class InstructionPrinter {
    static final String UNKNOWN = "<unknown>";

    /** JMP | 0xe0: LLVM's may_goto (BPF_JCOND), a kernel extension the RFC does not define. */
    static final int JCOND = 0xe0;
    /** ALU64 | MOV | X with offset 1: LLVM's addr_space_cast (arena pointers), also outside the RFC. */
    static final int ADDR_SPACE_CAST = 1;
    /** LLVM's register class has r0-r11; a register field of 12-15 does not decode. */
    private static final int LLVM_LAST_REGISTER = 11;

    private final Syntax syntax;

    InstructionPrinter(Syntax syntax) {
        this.syntax = syntax;
    }

    /**
     * The text of an instruction at a slot; {@code target} names a branch destination (a byte address in the
     * section) as a suffix such as {@code " <LBB0_2>"}, or gives "" for none.
     */
    String print(Instruction insn, int slot, LongFunction<String> target) {
        if (syntax == Syntax.LOSSLESS && InstructionRules.violation(insn) != null) {
            return raw(insn);
        }
        String text = switch (opClass(insn.opcode())) {
            case ALU, ALU64 -> alu(insn);
            case JMP, JMP32 -> jump(insn, slot, target);
            default -> new MemoryPrinter(syntax).print(insn);
        };
        return text == null ? UNKNOWN : text;
    }

    /** The {@code .insn} spelling of an encoding that is not an instruction, so that it still round-trips. */
    static String raw(Instruction insn) {
        return ".insn " + Hex.unsigned(insn.opcode()) + ", " + Hex.unsigned(insn.dst()) + ", "
                + Hex.unsigned(insn.src()) + ", " + Hex.signed(insn.offset()) + ", " + Hex.signed(insn.imm());
    }

    /** A register name, or null when LLVM would not decode the field. */
    static String reg(String prefix, int number) {
        return number > LLVM_LAST_REGISTER ? null : prefix + number;
    }

    private static String alu(Instruction insn) {
        int op = insn.opcode();
        boolean is64 = opClass(op) == ALU64;
        boolean k = source(op) == K;
        String p = is64 ? "r" : "w";
        String dst = reg(p, insn.dst());
        if (dst == null) {
            return null;
        }
        // NEG and END read only dst; LLVM ignores their other fields.
        if (code(op) == NEG) {
            return k ? dst + " = -" + dst : null;
        }
        if (code(op) == END) {
            return byteSwap(insn, is64, k);
        }
        String src = k ? Hex.signed(insn.imm32()) : reg(p, insn.src());
        if (src == null) {
            return null;
        }
        int off = insn.offset();
        return switch (code(op)) {
            case MOV -> move(insn, is64, k, dst, src);
            case DIV -> off == 0 || off == 1 ? dst + (off == 1 ? " s/= " : " /= ") + src : null;
            case MOD -> off == 0 || off == 1 ? dst + (off == 1 ? " s%= " : " %= ") + src : null;
            case ADD, SUB, MUL, OR, AND, LSH, RSH, XOR, ARSH -> off == 0 ? dst + " " + aluOperator(code(op)) + " " + src : null;
            default -> null;
        };
    }

    static String aluOperator(int code) {
        return switch (code) {
            case ADD -> "+=";
            case SUB -> "-=";
            case MUL -> "*=";
            case DIV -> "/=";
            case OR -> "|=";
            case AND -> "&=";
            case LSH -> "<<=";
            case RSH -> ">>=";
            case MOD -> "%=";
            case XOR -> "^=";
            case ARSH -> "s>>=";
            default -> throw new IllegalArgumentException("no operator for code 0x" + Integer.toHexString(code));
        };
    }

    private static String byteSwap(Instruction insn, boolean is64, boolean k) {
        long bits = insn.imm();
        if ((is64 && !k) || !(bits == 16 || bits == 32 || bits == 64)) {
            return null;
        }
        String kind = is64 ? "bswap" : k ? "le" : "be";
        String dst = reg("r", insn.dst());
        return dst + " = " + kind + bits + " " + dst;
    }

    private static String move(Instruction insn, boolean is64, boolean k, String dst, String src) {
        int off = insn.offset();
        if (off == 0) {
            return dst + " = " + src;
        }
        if (k) {
            return null;
        }
        if (off == 8 || off == 16 || (is64 && off == 32)) {
            return dst + " = (s" + off + ")" + src;
        }
        if (is64 && off == ADDR_SPACE_CAST) {
            int imm = insn.imm32();
            return dst + " = addr_space_cast(" + src + ", " + Hex.unsigned(imm >>> 16) + ", "
                    + Hex.unsigned(imm & 0xffff) + ")";
        }
        return null;
    }

    private String jump(Instruction insn, int slot, LongFunction<String> target) {
        int op = insn.opcode();
        boolean is32 = opClass(op) == JMP32;
        boolean k = source(op) == K;
        int code = code(op);
        if (code == JA) {
            if (!k) {
                return null;
            }
            int disp = is32 ? insn.imm32() : insn.offset();
            return (is32 ? "gotol " : "goto ") + Hex.displacement(disp) + suffix(slot, disp, target);
        }
        if (code == CALL) {
            return is32 ? null : k ? call(insn) : reg("r", insn.dst()) == null ? null : "callx " + reg("r", insn.dst());
        }
        if (code == EXIT) {
            return is32 || !k || insn.imm() != 0 ? null : "exit";
        }
        if (code == JCOND) {
            return is32 || !k ? null : "may_goto " + Hex.displacement(insn.offset()) + suffix(slot, insn.offset(), target);
        }
        String comparison = comparison(code);
        String p = is32 ? "w" : "r";
        String dst = reg(p, insn.dst());
        String src = k ? Hex.signed(insn.imm32()) : reg(p, insn.src());
        if (comparison == null || dst == null || src == null) {
            return null;
        }
        return "if " + dst + " " + comparison + " " + src + " goto " + Hex.displacement(insn.offset())
                + suffix(slot, insn.offset(), target);
    }

    private String call(Instruction insn) {
        if (syntax == Syntax.LOSSLESS) {
            switch (insn.src()) {
                case CALL_LOCAL -> {
                    return "call pc" + Hex.displacement(insn.imm32());
                }
                case CALL_KFUNC -> {
                    return "call kfunc " + Hex.signed(insn.imm32());
                }
                default -> { }
            }
        }
        return "call " + Hex.signed(insn.imm32());
    }

    static String comparison(int code) {
        return switch (code) {
            case JEQ -> "==";
            case JGT -> ">";
            case JGE -> ">=";
            case JSET -> "&";
            case JNE -> "!=";
            case JSGT -> "s>";
            case JSGE -> "s>=";
            case JLT -> "<";
            case JLE -> "<=";
            case JSLT -> "s<";
            case JSLE -> "s<=";
            default -> null;
        };
    }

    private static String suffix(int slot, long displacement, LongFunction<String> target) {
        long address = (slot + 1 + displacement) * Instruction.SIZE;
        String name = target.apply(address);
        return name.isEmpty() ? "" : " " + name;
    }
}
