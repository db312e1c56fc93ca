package org.ebpf4j.isa.text;

import static org.ebpf4j.isa.Opcode.*;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Size;

/** Loads, stores and atomics in llvm-objdump's syntax; null where LLVM's decoder gives up. */
final class MemoryPrinter {
    private final Syntax syntax;

    MemoryPrinter(Syntax syntax) {
        this.syntax = syntax;
    }

    String print(Instruction insn) {
        return switch (opClass(insn.opcode())) {
            case LD -> ld(insn);
            case LDX -> ldx(insn);
            case ST -> st(insn);
            case STX -> stx(insn);
            default -> throw new IllegalArgumentException("not a load or store: " + insn);
        };
    }

    private String ld(Instruction insn) {
        int op = insn.opcode();
        if (insn.isLddw()) {
            return lddw(insn);
        }
        Size size = Size.of(op);
        if (size == Size.DW) {
            return null;
        }
        String load = "r0 = *(" + size.cType + " *)skb[";
        return switch (mode(op)) {
            case ABS -> load + Hex.signed(insn.imm32()) + "]";
            case IND -> {
                String src = InstructionPrinter.reg("r", insn.src());
                if (src == null) {
                    yield null;
                }
                // LLVM prints no immediate here: the form it emits always has 0.
                boolean keepImm = syntax == Syntax.LOSSLESS && insn.imm() != 0;
                yield load + (keepImm ? Hex.address(src, insn.imm32()) : src) + "]";
            }
            default -> null;
        };
    }

    private String lddw(Instruction insn) {
        String dst = InstructionPrinter.reg("r", insn.dst());
        if (dst == null || insn.offset() != 0) {
            return null;
        }
        if (insn.src() == PSEUDO_NONE) {
            return dst + " = " + Hex.signed(insn.imm()) + " ll";
        }
        // LLVM names the pseudo kind and the low immediate only; the high half (a map value offset) is dropped.
        String text = "ld_pseudo\t" + dst + ", " + Hex.unsigned(insn.src()) + ", " + Hex.unsigned(insn.imm() & 0xffff_ffffL);
        long high = insn.imm() >>> 32;
        return syntax == Syntax.LOSSLESS && high != 0 ? text + ", " + Hex.unsigned(high) : text;
    }

    private static String memory(Size size, boolean signed, String base, int offset) {
        String type = signed ? "s" + size.cType.substring(1) : size.cType;
        return "*(" + type + " *)(" + Hex.address(base, offset) + ")";
    }

    private static String ldx(Instruction insn) {
        int op = insn.opcode();
        Size size = Size.of(op);
        boolean signed = mode(op) == MEMSX;
        if (!(mode(op) == MEM || (signed && size != Size.DW))) {
            return null;
        }
        String dst = InstructionPrinter.reg("r", insn.dst());
        String src = InstructionPrinter.reg("r", insn.src());
        return dst == null || src == null ? null : dst + " = " + memory(size, signed, src, insn.offset());
    }

    private static String st(Instruction insn) {
        String dst = InstructionPrinter.reg("r", insn.dst());
        if (mode(insn.opcode()) != MEM || dst == null) {
            return null;
        }
        return memory(Size.of(insn.opcode()), false, dst, insn.offset()) + " = " + Hex.signed(insn.imm32());
    }

    private String stx(Instruction insn) {
        int op = insn.opcode();
        Size size = Size.of(op);
        String dst = InstructionPrinter.reg("r", insn.dst());
        String src = InstructionPrinter.reg("r", insn.src());
        if (dst == null || src == null) {
            return null;
        }
        if (mode(op) == MEM) {
            return memory(size, false, dst, insn.offset()) + " = " + src;
        }
        if (mode(op) != ATOMIC) {
            return null;
        }
        return switch (size) {
            case DW -> atomic(insn, "r", "_64", dst);
            case W -> syntax == Syntax.LOSSLESS && insn.imm() != ADD ? atomic(insn, "w", "32_32", dst)
                    // LLVM's default decoder knows one 32-bit atomic, the plain add, and reads only its op nibble.
                    : (insn.imm32() & 0xf0) == ADD ? "lock " + memory(size, false, dst, insn.offset()) + " += " + src : null;
            default -> null;
        };
    }

    /**
     * LLVM tells atomics apart by the operation nibble (imm bits 4-7) and whether the low nibble is exactly
     * {@link org.ebpf4j.isa.Opcode#FETCH}; the other bits of imm are not looked at.
     */
    private static String atomic(Instruction insn, String p, String widthSuffix, String dst) {
        int imm = insn.imm32();
        int operation = imm & 0xf0;
        boolean fetch = (imm & 0xf) == FETCH;
        String src = p + insn.src();
        String address = Hex.address(dst, insn.offset());
        String cell = "(" + Size.of(insn.opcode()).cType + " *)(" + address + ")";
        return switch (operation) {
            case ADD, OR, AND, XOR -> fetch
                    ? src + " = atomic_fetch_" + fetchName(operation) + "(" + cell + ", " + src + ")"
                    : "lock *" + cell + " " + InstructionPrinter.aluOperator(operation) + " " + src;
            case XCHG & 0xf0 -> fetch ? src + " = xchg" + widthSuffix + "(" + address + ", " + src + ")" : null;
            case CMPXCHG & 0xf0 -> fetch
                    ? p + "0 = cmpxchg" + widthSuffix + "(" + address + ", " + p + "0, " + src + ")" : null;
            default -> null;
        };
    }

    private static String fetchName(int operation) {
        return switch (operation) {
            case ADD -> "add";
            case OR -> "or";
            case AND -> "and";
            case XOR -> "xor";
            default -> throw new IllegalArgumentException("no fetch form of 0x" + Integer.toHexString(operation));
        };
    }
}
