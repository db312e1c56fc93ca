package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;
import static org.ebpf4j.isa.Opcode.*;
import static org.ebpf4j.runtime.jit.MethodEmitter.reg;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.BitSet;
import org.ebpf4j.isa.Alu;
import org.ebpf4j.isa.Instruction;

/**
 * Emits ALU and ALU64 instructions: the trivial operations as JVM opcodes (32-bit ones as int arithmetic), the rest
 * through {@link Alu}, as the interpreter does, so that both share one definition of each operation.
 */
final class AluEmitter {
    static final ClassDesc CD_ALU = ClassDesc.of(Alu.class.getName());
    private static final MethodTypeDesc BINARY = MethodTypeDesc.of(CD_long, CD_long, CD_long);
    private static final MethodTypeDesc WITH_BITS = MethodTypeDesc.of(CD_long, CD_long, CD_int);
    private static final MethodTypeDesc UNARY = MethodTypeDesc.of(CD_long, CD_long);

    private final Operands operands;
    /** The multiplies by a constant of a register that holds 0 or 1 ({@link BitMultiplies}). */
    private final BitSet bitMultiplies;

    AluEmitter(Operands operands, BitSet bitMultiplies) {
        this.operands = operands;
        this.bitMultiplies = bitMultiplies;
    }

    /** An ALU or ALU64 instruction other than a counted loop's increment (which {@link MethodEmitter} owns). */
    void emit(CodeBuilder code, Instruction insn, int slot) {
        int op = insn.opcode();
        boolean wide = opClass(op) == ALU64;
        int dst = reg(insn.dst());
        int imm = insn.imm32();
        int aluCode = code(op);
        // The interpreter knows no register form of NEG or of ALU64's byte swap: they fault as unknown opcodes.
        if (source(op) == X && (aluCode == NEG || (wide && aluCode == END)) || aluCode > END) {
            MethodEmitter.unknownOpcode(code, slot, op);
            return;
        }
        switch (aluCode) {
            case NEG -> {
                if (wide) {
                    operands.register(code, dst).lneg();
                } else {
                    operands.register(code, dst).l2i().ineg();
                    widen32(code);
                }
                code.lstore(dst);
                return;
            }
            case MOV -> {
                if (source(op) == K) {
                    operands.immediate(code, wide ? (long) imm : Alu.zext32(imm)).lstore(dst);
                    return;
                }
                operands.register(code, reg(insn.src()));
                if (insn.offset() != 0) {
                    code.loadConstant((ConstantDesc) insn.offset()).invokestatic(CD_ALU, "signExtend", WITH_BITS);
                }
                zext(code, wide);
                code.lstore(dst);
                return;
            }
            case END -> {
                String method = wide || source(op) == TO_BE ? "byteSwap" : "toLittleEndian";
                operands.register(code, dst).loadConstant((ConstantDesc) imm).invokestatic(CD_ALU, method, WITH_BITS)
                        .lstore(dst);
                return;
            }
            default -> { }
        }
        if (bitMultiplies.get(slot)) {
            // x * K for x in {0, 1} is K or 0: -x & K, shorter than a multiply on a chain of them.
            if (wide) {
                operands.immediate(operands.register(code, dst).lneg(), imm).land();
            } else {
                operands.immediate(operands.register(code, dst).l2i().ineg(), imm).l2i().iand();
                widen32(code);
            }
            code.lstore(dst);
            return;
        }
        if (!wide && isIntArithmetic(aluCode)) {
            // As the JVM's int arithmetic on the low halves, widened without sign: a 32-bit operation that reads
            // the result narrows it back, which C2 folds away with the widening, so chains of them compile to
            // 32-bit instructions with no zero-extending move between them, as the kernel's do (crc32's
            // multiply-xor-shift chain had a move after each step as long arithmetic masked by Alu.zext32).
            pushOperands(code, insn, true);
            switch (aluCode) {
                case ADD -> code.iadd();
                case SUB -> code.isub();
                case MUL -> code.imul();
                case OR -> code.ior();
                case AND -> code.iand();
                default -> code.ixor();
            }
            widen32(code);
            code.lstore(dst);
            return;
        }
        pushOperands(code, insn, false);
        boolean signed = insn.offset() != 0;
        String suffix = wide ? "64" : "32";
        switch (aluCode) {
            case ADD -> code.ladd();
            case SUB -> code.lsub();
            case MUL -> code.lmul();
            case OR -> code.lor();
            case AND -> code.land();
            case XOR -> code.lxor();
            case DIV -> code.invokestatic(CD_ALU, (signed ? "sdiv" : "div") + suffix, BINARY);
            case MOD -> code.invokestatic(CD_ALU, (signed ? "smod" : "mod") + suffix, BINARY);
            case LSH -> code.invokestatic(CD_ALU, "lsh" + suffix, BINARY);
            case RSH -> code.invokestatic(CD_ALU, "rsh" + suffix, BINARY);
            case ARSH -> code.invokestatic(CD_ALU, "arsh" + suffix, BINARY);
            default -> throw new Subprograms.Unsupported(String.format("unknown ALU opcode 0x%02x", op));
        }
        code.lstore(dst);
    }

    /** The operations whose 32-bit forms are the JVM's int opcodes (NEG's too, emitted on its own). */
    private static boolean isIntArithmetic(int aluCode) {
        return aluCode == ADD || aluCode == SUB || aluCode == MUL || aluCode == OR || aluCode == AND
                || aluCode == XOR;
    }

    /** Pushes the destination and then the source (register or immediate), each narrowed to an int if asked. */
    private void pushOperands(CodeBuilder code, Instruction insn, boolean narrow) {
        operands.register(code, reg(insn.dst()));
        if (narrow) {
            code.l2i();
        }
        if (source(insn.opcode()) == K) {
            operands.immediate(code, insn.imm32());
        } else {
            operands.register(code, reg(insn.src()));
        }
        if (narrow) {
            code.l2i();
        }
    }

    /** The int on the stack as the long of its 32 bits (a 32-bit result's zero extension). */
    private static void widen32(CodeBuilder code) {
        code.invokestatic(CD_Integer, "toUnsignedLong", MethodTypeDesc.of(CD_long, CD_int));
    }

    private static void zext(CodeBuilder code, boolean wide) {
        if (!wide) {
            code.invokestatic(CD_ALU, "zext32", UNARY);
        }
    }
}
