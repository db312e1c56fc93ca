package org.ebpf4j.verifier.scalar;

import org.ebpf4j.isa.Alu;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Opcode;

/**
 * One ALU instruction on concrete values, dispatched as the interpreter does and computed by the one
 * definition of the arithmetic, {@link Alu}. (The interpreter lives in runtime, above the verifier.)
 */
final class ConcreteAlu {
    private ConcreteAlu() {}

    static long eval(Instruction insn, long dst, long src) {
        int opcode = insn.opcode();
        boolean alu64 = Opcode.opClass(opcode) == Opcode.ALU64;
        long s = insn.usesImmediate() ? insn.imm() : src;
        int imm = insn.imm32();
        boolean signed = insn.offset() == 1;
        long result = switch (AluOp.of(opcode)) {
            case ADD -> dst + s;
            case SUB -> dst - s;
            case MUL -> dst * s;
            case OR -> dst | s;
            case AND -> dst & s;
            case XOR -> dst ^ s;
            case NEG -> -dst;
            case DIV -> alu64 ? (signed ? Alu.sdiv64(dst, s) : Alu.div64(dst, s))
                    : (signed ? Alu.sdiv32(dst, s) : Alu.div32(dst, s));
            case MOD -> alu64 ? (signed ? Alu.smod64(dst, s) : Alu.mod64(dst, s))
                    : (signed ? Alu.smod32(dst, s) : Alu.mod32(dst, s));
            case LSH -> alu64 ? Alu.lsh64(dst, s) : Alu.lsh32(dst, s);
            case RSH -> alu64 ? Alu.rsh64(dst, s) : Alu.rsh32(dst, s);
            case ARSH -> alu64 ? Alu.arsh64(dst, s) : Alu.arsh32(dst, s);
            case MOV -> insn.usesImmediate() || insn.offset() == 0 ? s : Alu.signExtend(s, insn.offset());
            case END -> alu64 || Opcode.source(opcode) == Opcode.TO_BE
                    ? Alu.byteSwap(dst, imm) : Alu.toLittleEndian(dst, imm);
        };
        boolean endKeepsWidth = AluOp.of(opcode) == AluOp.END;
        return alu64 || endKeepsWidth ? result : Alu.zext32(result);
    }
}
