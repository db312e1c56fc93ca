package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.scalar.ScalarAlu;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * ALU and ALU64 instructions (the kernel's check_alu_op), in its order of checks: reserved fields, operands
 * readable, constant divisors and shift amounts, the destination writable, then the transfer function: the scalar
 * domain for numbers, {@link PointerArithmetic} where a pointer takes part. Privileged loaders may copy pointers
 * into 32-bit registers, where they become unknown numbers; others may not ({@link PointerLeaks}).
 */
final class AluRule {
    private AluRule() {}

    static void apply(Instruction insn, int idx, FrameState frame, IdGenerator ids, Capabilities caps) {
        AluOp op = AluOp.of(insn.opcode());
        boolean alu64 = insn.opClass() == OpClass.ALU64;
        switch (op) {
            case NEG, END -> unary(insn, idx, frame, op, alu64, caps);
            case MOV -> move(insn, idx, frame, alu64, ids, caps);
            case ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, MOD, XOR, ARSH -> binary(insn, idx, frame, op, alu64, ids, caps);
        }
    }

    private static void unary(Instruction insn, int idx, FrameState frame, AluOp op, boolean alu64,
                              Capabilities caps) {
        if (op == AluOp.NEG) {
            if (!insn.usesImmediate() || insn.src() != 0 || insn.offset() != 0 || insn.imm() != 0) {
                throw VerificationFailure.rule(idx, "BPF_NEG uses reserved fields");
            }
        } else if (insn.src() != 0 || insn.offset() != 0
                || (insn.imm() != 16 && insn.imm() != 32 && insn.imm() != 64) || (alu64 && !insn.usesImmediate())) {
            throw VerificationFailure.rule(idx, "BPF_END uses reserved fields");
        }
        RegisterType dst = RegisterAccess.read(frame, insn.dst(), idx);
        PointerLeaks.checkUnary(caps, dst, insn.dst(), idx);
        RegisterAccess.checkWritable(insn.dst(), idx);
        if (!(dst instanceof ScalarValue s)) {
            throw VerificationFailure.unsupported(idx, "negation or byte swap of a pointer");
        }
        frame.setReg(insn.dst(), new ScalarValue(ScalarAlu.apply(insn, s.value(), s.value())));
    }

    private static void move(Instruction insn, int idx, FrameState frame, boolean alu64, IdGenerator ids,
                             Capabilities caps) {
        int off = insn.offset();
        if (!insn.usesImmediate()) {
            boolean sizeOk = off == 0 || off == 8 || off == 16 || (alu64 && off == 32);
            if (!sizeOk || insn.imm() != 0) {
                throw VerificationFailure.rule(idx, "BPF_MOV uses reserved fields");
            }
            RegisterType src = RegisterAccess.read(frame, insn.src(), idx);
            RegisterAccess.checkWritable(insn.dst(), idx);
            if (!alu64 || off != 0) {
                PointerLeaks.checkPartialMove(caps, src, insn.src(), alu64, idx);
            }
            frame.setReg(insn.dst(), switch (src) {
                // A number copies with its link, by a 32-bit move only where it fits in 32 bits (the copy is then
                // the same number); sign-extending moves make a new number.
                case ScalarValue s when off == 0 && (alu64 || ScalarLinks.fits(s, Integer.BYTES)) ->
                        ScalarLinks.linked(frame, insn.src(), s, ids);
                case ScalarValue s -> new ScalarValue(ScalarAlu.apply(insn, s.value(), s.value()));
                // A whole pointer copies; a part of one (32-bit or sign-extended move) is only a number.
                default -> alu64 && off == 0 ? src
                        : new ScalarValue(alu64 ? Scalar.unknown() : ScalarAlu.zeroExtend32(Scalar.unknown()));
            });
            return;
        }
        if (insn.src() != 0 || off != 0) {
            throw VerificationFailure.rule(idx, "BPF_MOV uses reserved fields");
        }
        RegisterAccess.checkWritable(insn.dst(), idx);
        frame.setReg(insn.dst(), new ScalarValue(ScalarAlu.apply(insn, Scalar.unknown(), null)));
    }

    private static void binary(Instruction insn, int idx, FrameState frame, AluOp op, boolean alu64,
                               IdGenerator ids, Capabilities caps) {
        int off = insn.offset();
        boolean signedDivision = off == 1 && (op == AluOp.DIV || op == AluOp.MOD);
        if ((off != 0 && !signedDivision) || (insn.usesImmediate() ? insn.src() != 0 : insn.imm() != 0)) {
            throw VerificationFailure.rule(idx, "BPF_ALU uses reserved fields");
        }
        RegisterType src = insn.usesImmediate() ? null : RegisterAccess.read(frame, insn.src(), idx);
        RegisterType dst = RegisterAccess.read(frame, insn.dst(), idx);
        if ((op == AluOp.DIV || op == AluOp.MOD) && insn.usesImmediate() && insn.imm() == 0) {
            throw VerificationFailure.rule(idx, "div by zero");
        }
        if ((op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH) && insn.usesImmediate()) {
            int width = alu64 ? 64 : 32;
            if (insn.imm() < 0 || insn.imm() >= width) {
                throw VerificationFailure.rule(idx, "invalid shift %d", insn.imm());
            }
        }
        RegisterAccess.checkWritable(insn.dst(), idx);
        RegisterType operand = src != null ? src : ScalarValue.constant(insn.imm());
        if (dst instanceof ScalarValue d && operand instanceof ScalarValue s) {
            frame.setReg(insn.dst(), new ScalarValue(ScalarAlu.apply(insn, d.value(), s.value())));
            return;
        }
        frame.setReg(insn.dst(), PointerArithmetic.apply(insn, idx, op, alu64, dst, operand, ids, caps));
    }

    /** The kernel's bpf_alu_string: the operator as messages name it. */
    static String operatorName(AluOp op) {
        return switch (op) {
            case ADD -> "+="; case SUB -> "-="; case MUL -> "*="; case DIV -> "/="; case OR -> "|=";
            case AND -> "&="; case LSH -> "<<="; case RSH -> ">>="; case NEG -> "neg"; case MOD -> "%=";
            case XOR -> "^="; case MOV -> "="; case ARSH -> "s>>="; case END -> "endian";
        };
    }

}
