package org.ebpf4j.isa;

import static org.ebpf4j.isa.Opcode.*;

/**
 * Which encodings are instructions: the opcode is assigned, the registers exist, and every field the
 * instruction does not use is zero (RFC 9669 calls them reserved; the kernel rejects them as well).
 */
public final class InstructionRules {
    private InstructionRules() {}

    /** The first rule an instruction breaks, or null when it is well formed. */
    public static String violation(Instruction insn) {
        if (insn.dst() > 10) {
            return "invalid destination register r" + insn.dst();
        }
        if (insn.src() > 10 && !(insn.isLddw() || isCall(insn))) {
            return "invalid source register r" + insn.src();
        }
        return switch (opClass(insn.opcode())) {
            case ALU, ALU64 -> alu(insn);
            case JMP, JMP32 -> jump(insn);
            case LD -> ld(insn);
            case LDX -> ldx(insn);
            case ST -> st(insn);
            case STX -> stx(insn);
            default -> throw new AssertionError();
        };
    }

    /** True when an instruction writes its destination register (so r10 may not be its destination). */
    public static boolean writesDestination(Instruction insn) {
        int cls = opClass(insn.opcode());
        return cls == ALU || cls == ALU64 || cls == LDX || insn.isLddw();
    }

    private static boolean isCall(Instruction insn) {
        return insn.opcode() == (JMP | CALL);
    }

    private static String unknown(Instruction insn) {
        return String.format("unknown opcode 0x%02x", insn.opcode());
    }

    private static String alu(Instruction insn) {
        boolean is64 = opClass(insn.opcode()) == ALU64;
        boolean k = source(insn.opcode()) == K;
        int off = insn.offset();
        switch (code(insn.opcode())) {
            case NEG:
                if (!k || insn.src() != 0 || insn.imm() != 0 || off != 0) {
                    return "neg uses reserved fields";
                }
                return null;
            case END:
                if (is64 && !k) {
                    return unknown(insn);
                }
                if (insn.src() != 0 || off != 0 || !(insn.imm() == 16 || insn.imm() == 32 || insn.imm() == 64)) {
                    return "byte swap needs imm 16, 32 or 64 and no other fields";
                }
                return null;
            case DIV, MOD:
                if (off != 0 && off != 1) {
                    return "division offset must be 0 (unsigned) or 1 (signed)";
                }
                break;
            case MOV:
                if (off != 0) {
                    boolean sizeOk = off == 8 || off == 16 || (is64 && off == 32);
                    if (k || !sizeOk) {
                        return "movsx needs a register source and offset 8, 16" + (is64 ? " or 32" : "");
                    }
                }
                break;
            case ADD, SUB, MUL, OR, AND, LSH, RSH, XOR, ARSH:
                if (off != 0) {
                    return "arithmetic uses reserved offset field";
                }
                break;
            default:
                return unknown(insn);
        }
        if (k && insn.src() != 0) {
            return "arithmetic with an immediate uses reserved src_reg field";
        }
        if (!k && insn.imm() != 0) {
            return "arithmetic with a register uses reserved imm field";
        }
        return null;
    }

    private static String jump(Instruction insn) {
        boolean is32 = opClass(insn.opcode()) == JMP32;
        boolean k = source(insn.opcode()) == K;
        switch (code(insn.opcode())) {
            case JA:
                if (!k || insn.dst() != 0 || insn.src() != 0 || (is32 ? insn.offset() != 0 : insn.imm() != 0)) {
                    return "ja uses reserved fields";
                }
                return null;
            case CALL:
                if (is32) {
                    return unknown(insn);
                }
                if (!k) {
                    return insn.src() != 0 || insn.offset() != 0 || insn.imm() != 0 ? "callx uses reserved fields" : null;
                }
                if (insn.dst() != 0 || insn.offset() != 0) {
                    return "call uses reserved fields";
                }
                if (insn.src() > CALL_KFUNC) {
                    return "call with unknown src_reg " + insn.src();
                }
                return null;
            case EXIT:
                if (is32) {
                    return unknown(insn);
                }
                if (insn.dst() != 0 || insn.src() != 0 || insn.offset() != 0 || insn.imm() != 0) {
                    return "exit uses reserved fields";
                }
                return null;
            case JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE:
                if (k && insn.src() != 0) {
                    return "conditional jump with an immediate uses reserved src_reg field";
                }
                if (!k && insn.imm() != 0) {
                    return "conditional jump with a register uses reserved imm field";
                }
                return null;
            default:
                return unknown(insn);
        }
    }

    private static String ld(Instruction insn) {
        int mode = mode(insn.opcode());
        if (insn.isLddw()) {
            if (insn.offset() != 0) {
                return "lddw uses reserved offset field";
            }
            if (insn.src() > PSEUDO_MAP_IDX_VALUE) {
                return "lddw with unknown src_reg " + insn.src();
            }
            return null;
        }
        if ((mode == ABS || mode == IND) && size(insn.opcode()) != DW) {
            if (insn.dst() != 0 || insn.offset() != 0 || (mode == ABS && insn.src() != 0)) {
                return "legacy packet load uses reserved fields";
            }
            return null;
        }
        return unknown(insn);
    }

    private static String ldx(Instruction insn) {
        int mode = mode(insn.opcode());
        if (mode != MEM && !(mode == MEMSX && size(insn.opcode()) != DW)) {
            return unknown(insn);
        }
        return insn.imm() != 0 ? "load uses reserved imm field" : null;
    }

    private static String st(Instruction insn) {
        if (mode(insn.opcode()) != MEM) {
            return unknown(insn);
        }
        return insn.src() != 0 ? "store of an immediate uses reserved src_reg field" : null;
    }

    private static String stx(Instruction insn) {
        int mode = mode(insn.opcode());
        if (mode == MEM) {
            return insn.imm() != 0 ? "store uses reserved imm field" : null;
        }
        if (mode == ATOMIC && (size(insn.opcode()) == W || size(insn.opcode()) == DW)) {
            return AtomicOp.of(insn.imm32()) == null
                    ? String.format("atomic instruction with unknown operation 0x%x", insn.imm()) : null;
        }
        return unknown(insn);
    }
}
