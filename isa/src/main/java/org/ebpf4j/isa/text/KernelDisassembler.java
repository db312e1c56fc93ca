package org.ebpf4j.isa.text;

import static org.ebpf4j.isa.Opcode.*;

import java.util.function.IntFunction;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Size;

/**
 * Writes one instruction as the Linux verifier's log does (print_bpf_insn in kernel/bpf/disasm.c): the opcode in
 * parentheses, then decimal offsets and immediates ({@code (07) r1 += -8}, {@code (05) goto pc+2}), except the
 * hexadecimal immediate of a conditional jump and of a 64-bit load. An encoding the kernel has no form for reads
 * as its {@code BUG_} text.
 */
public final class KernelDisassembler {
    /** The source field of {@link InstructionPrinter#JCOND} that makes it may_goto. */
    private static final int MAY_GOTO = 0;
    /** BPF_LOAD_ACQ and BPF_STORE_REL: atomic modes of STX. */
    private static final int LOAD_ACQ = 0x100;
    private static final int STORE_REL = 0x110;
    /** BPF_NOSPEC: a mode of ST the kernel inserts itself. */
    private static final int NOSPEC = 0xc0;

    /** What printk writes for a null string. */
    private static final String NULL = "(null)";

    private final IntFunction<String> helperName;

    /** {@code helperName} gives a helper's C name ({@code bpf_map_lookup_elem}) by id, or null when it has none. */
    public KernelDisassembler(IntFunction<String> helperName) {
        this.helperName = helperName;
    }

    /** The text of {@code insn}, its first slot only for a 64-bit load ({@code (18) r1 = 0x4}). */
    public String instruction(Instruction insn) {
        int op = insn.opcode();
        return "(" + hex2(op) + ") " + switch (opClass(op)) {
            case ALU, ALU64 -> alu(insn);
            case STX -> stx(insn);
            case ST -> st(insn);
            case LDX -> ldx(insn);
            case LD -> ld(insn);
            default -> jump(insn);
        };
    }

    private static String alu(Instruction insn) {
        int op = insn.opcode();
        char p = opClass(op) == ALU ? 'w' : 'r';
        int dst = insn.dst();
        if (code(op) == END) {
            String kind = opClass(op) == ALU64 ? "bswap" : source(op) == TO_LE ? "le" : "be";
            return "r" + dst + " = " + kind + insn.imm32() + " r" + dst;
        }
        if (code(op) == NEG) {
            return p + "" + dst + " = -" + p + dst;
        }
        boolean movX = code(op) == MOV && source(op) == X;
        if (movX && opClass(op) == ALU64 && insn.offset() == InstructionPrinter.ADDR_SPACE_CAST) {
            int imm = insn.imm32();
            return "r" + dst + " = addr_space_cast(r" + insn.src() + ", " + (imm >>> 16) + ", " + (imm & 0xffff) + ")";
        }
        boolean signed = (code(op) == DIV || code(op) == MOD) && insn.offset() == 1;
        String operator = signed ? "s" + aluOperator(code(op)) : aluOperator(code(op));
        if (source(op) == K) {
            return p + "" + dst + " " + operator + " " + insn.imm32();
        }
        int off = insn.offset();
        String extension = movX && (off == 8 || off == 16 || off == 32) ? "(s" + off + ")" : "";
        return p + "" + dst + " " + operator + " " + extension + p + insn.src();
    }

    private static String cell(String type, int base, int offset) {
        return "*(" + type + " *)" + address(base, offset);
    }

    private static String address(int base, int offset) {
        return "(r" + base + " " + signed(offset) + ")";
    }

    private static String stx(Instruction insn) {
        int op = insn.opcode();
        Size size = Size.of(op);
        int dst = insn.dst();
        int src = insn.src();
        if (mode(op) == MEM) {
            return cell(size.cType, dst, insn.offset()) + " = r" + src;
        }
        if (mode(op) != ATOMIC) {
            return "BUG_" + hex2(op);
        }
        int imm = insn.imm32();
        String width = size == Size.DW ? "64" : "";
        String typed = "(" + size.cType + " *)" + address(dst, insn.offset());
        return switch (imm) {
            case ADD, AND, OR, XOR -> "lock *" + typed + " " + InstructionPrinter.aluOperator(imm) + " r" + src;
            case ADD | FETCH, AND | FETCH, OR | FETCH, XOR | FETCH -> "r" + src + " = atomic" + width + "_fetch_"
                    + fetchName(imm & ~FETCH) + "(" + typed + ", r" + src + ")";
            case CMPXCHG -> "r0 = atomic" + width + "_cmpxchg(" + typed + ", r0, r" + src + ")";
            case XCHG -> "r" + src + " = atomic" + width + "_xchg(" + typed + ", r" + src + ")";
            case LOAD_ACQ -> "r" + dst + " = load_acquire((" + size.cType + " *)" + address(src, insn.offset()) + ")";
            case STORE_REL -> "store_release(" + typed + ", r" + src + ")";
            default -> "BUG_" + hex2(op);
        };
    }

    private static String fetchName(int operation) {
        return switch (operation) {
            case ADD -> "add";
            case AND -> "and";
            case OR -> "or";
            default -> "xor";
        };
    }

    private static String st(Instruction insn) {
        int op = insn.opcode();
        if (mode(op) == MEM) {
            Size size = Size.of(op);
            return cell(size.cType, insn.dst(), insn.offset()) + " = " + insn.imm32();
        }
        return mode(op) == NOSPEC ? "nospec" : "BUG_st_" + hex2(op);
    }

    private static String ldx(Instruction insn) {
        int op = insn.opcode();
        Size size = Size.of(op);
        if (mode(op) != MEM && mode(op) != MEMSX) {
            return "BUG_ldx_" + hex2(op);
        }
        String type = mode(op) == MEMSX ? "s" + size.cType.substring(1) : size.cType;
        return "r" + insn.dst() + " = " + cell(type, insn.src(), insn.offset());
    }

    /**
     * A 64-bit load prints its whole immediate in hex. For a map reference the kernel prints the address it
     * resolved the map to (or 0 to a log reader without pointer leaks); here the immediate is the program's own.
     */
    private static String ld(Instruction insn) {
        int op = insn.opcode();
        String type = Size.of(op).cType;
        return switch (mode(op)) {
            case ABS -> "r0 = *(" + type + " *)skb[" + insn.imm32() + "]";
            case IND -> "r0 = *(" + type + " *)skb[r" + insn.src() + " + " + insn.imm32() + "]";
            case IMM -> Size.of(op) == Size.DW ? "r" + insn.dst() + " = 0x" + Long.toHexString(insn.imm())
                    : "BUG_ld_" + hex2(op);
            default -> "BUG_ld_" + hex2(op);
        };
    }

    private String jump(Instruction insn) {
        int op = insn.opcode();
        boolean is32 = opClass(op) == JMP32;
        if (code(op) == CALL) {
            return call(insn);
        }
        if (op == (JMP | JA)) {
            return "goto pc" + signed(insn.offset());
        }
        if (op == (JMP | InstructionPrinter.JCOND) && insn.src() == MAY_GOTO) {
            return "may_goto pc" + signed(insn.offset());
        }
        if (op == (JMP32 | JA)) {
            return "gotol pc" + signed(insn.imm32());
        }
        if (op == (JMP | EXIT)) {
            return "exit";
        }
        char p = is32 ? 'w' : 'r';
        String right = source(op) == X ? p + "" + insn.src() : "0x" + Integer.toHexString(insn.imm32());
        return "if " + p + insn.dst() + " " + jumpOperator(code(op)) + " " + right + " goto pc" + signed(insn.offset());
    }

    /** A helper by name ({@code call bpf_trace_printk#6}), a local function by displacement ({@code call pc+3}). */
    private String call(Instruction insn) {
        int imm = insn.imm32();
        return switch (insn.src()) {
            case CALL_LOCAL -> "call pc" + signed(imm);
            // The kernel names a kfunc from the kernel's BTF, which a program alone does not carry; id 0 is BTF's
            // void, which has no name.
            case CALL_KFUNC -> "call " + (imm == 0 ? "" : "kernel-function") + "#" + imm;
            default -> {
                String name = insn.src() == CALL_HELPER && imm >= 0 ? helperName.apply(imm) : null;
                yield "call " + (name == null ? "unknown" : name) + "#" + imm;
            }
        };
    }

    /**
     * bpf_alu_string: the kernel prints whatever its table holds for the operation, {@code (null)} past its end
     * (the verifier rejects that instruction after printing it).
     */
    private static String aluOperator(int code) {
        return switch (code) {
            case NEG -> "neg";
            case MOV -> "=";
            case END -> "endian";
            case 0xe0, 0xf0 -> NULL;
            default -> InstructionPrinter.aluOperator(code);
        };
    }

    /** bpf_jmp_string, which a jump-class opcode that is no comparison also indexes. */
    private static String jumpOperator(int code) {
        return switch (code) {
            case JA -> "jmp";
            case EXIT -> "exit";
            default -> {
                String comparison = InstructionPrinter.comparison(code);
                yield comparison == null ? NULL : comparison;
            }
        };
    }

    /** C's {@code %+d}. */
    private static String signed(int value) {
        return value < 0 ? Integer.toString(value) : "+" + value;
    }

    private static String hex2(int op) {
        return (op < 0x10 ? "0" : "") + Integer.toHexString(op);
    }
}
