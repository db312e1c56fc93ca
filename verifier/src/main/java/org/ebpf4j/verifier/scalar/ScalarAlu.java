package org.ebpf4j.verifier.scalar;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.isa.Opcode;

/**
 * The abstract semantics of every ALU and ALU64 instruction on scalars, with the precision of the Linux 6.18
 * verifier (adjust_scalar_min_max_vals and check_alu_op): what it tracks is tracked the same way, and what it
 * forgets is forgotten, because a more precise verifier accepts programs the kernel rejects.
 *
 * <p>What 6.18 forgets, and so does this class: the result of every division and modulo, of every byte swap
 * (END), of shifts whose amount is not one known value below the operand width. Those results are entirely
 * unknown, all 64 bits, even after a 32-bit operation (the kernel returns before its zero extension).
 *
 * <p>Shift amounts: RFC 9669 masks them, the kernel instead rejects an immediate amount outside [0, width) (the
 * instruction-level check belongs to the verifier proper) and makes the result unknown for a register amount
 * outside it. An unknown result is sound under either semantics, so this domain needs no masking of its own.
 */
public final class ScalarAlu {
    private ScalarAlu() {}

    /**
     * The scalar in the destination register after {@code insn}. {@code src} is the source register's scalar
     * for X forms and is ignored for K forms, whose operand is the sign-extended immediate (as the kernel's
     * fake register). Both registers must hold scalars; pointer arithmetic is the verifier's business.
     *
     * @throws IllegalArgumentException for non-ALU opcodes and encodings the kernel rejects as reserved
     */
    public static Scalar apply(Instruction insn, Scalar dst, Scalar src) {
        int opcode = insn.opcode();
        if (!Opcode.isAlu(opcode)) {
            throw new IllegalArgumentException("not an ALU instruction: " + insn);
        }
        AluOp op = AluOp.of(opcode);
        if (op == null) {
            throw new IllegalArgumentException("unassigned ALU operation: " + insn);
        }
        boolean alu64 = insn.opClass() == OpClass.ALU64;
        Scalar operand = insn.usesImmediate() ? Scalar.constant(insn.imm()) : src;
        return switch (op) {
            case MOV -> move(insn, alu64, operand);
            case NEG -> negate(alu64, dst);
            // 6.18 computes nothing for these: __mark_reg_unknown (DIV, MOD) and DST_OP (END).
            case DIV, MOD, END -> Scalar.unknown();
            case ADD, SUB, MUL, AND, OR, XOR, LSH, RSH, ARSH -> binary(op, alu64, dst, operand);
        };
    }

    /** zext_32_to_64: the register after a 32-bit write of its low half. */
    public static Scalar zeroExtend32(Scalar s) {
        WorkingScalar w = new WorkingScalar(s);
        w.zeroExtend32();
        BoundsSync.sync(w);
        return w.toScalar();
    }

    /** coerce_reg_to_size: the low {@code size} bytes (1, 2 or 4), zero-extended, as after a narrow load. */
    public static Scalar truncate(Scalar s, int size) {
        if (size != 1 && size != 2 && size != 4) {
            throw new IllegalArgumentException("truncation to " + size + " bytes");
        }
        WorkingScalar w = new WorkingScalar(s);
        long keep = (1L << (size * 8)) - 1;
        w.bits = w.bits.cast(size);
        if ((w.umin & ~keep) == (w.umax & ~keep)) {
            w.umin &= keep;
            w.umax &= keep;
        } else {
            w.umin = 0;
            w.umax = keep;
        }
        w.smin = w.umin;
        w.smax = w.umax;
        if (size < 4) {
            // The low half itself was cut: its old ranges say nothing about the narrower value.
            w.markUnbounded32();
        }
        BoundsSync.sync(w);
        return w.toScalar();
    }

    private static Scalar move(Instruction insn, boolean alu64, Scalar operand) {
        if (insn.usesImmediate()) {
            return Scalar.constant(alu64 ? insn.imm() : insn.imm() & Scalar.U32_MAX);
        }
        int bits = insn.offset();
        WorkingScalar w = new WorkingScalar(operand);
        if (alu64) {
            switch (bits) {
                case 0 -> { }
                // The kernel does not resynchronise after a 64-bit sign extension; neither do we.
                case 8, 16, 32 -> SignExtension.to64(w, bits / 8);
                default -> throw new IllegalArgumentException("BPF_MOV uses reserved fields: " + insn);
            }
            return w.toScalar();
        }
        switch (bits) {
            case 0 -> { }
            case 8, 16 -> SignExtension.to32(w, bits / 8);
            default -> throw new IllegalArgumentException("BPF_MOV uses reserved fields: " + insn);
        }
        w.zeroExtend32();
        BoundsSync.sync(w);
        return w.toScalar();
    }

    /** dst = 0 - dst, through the subtraction's ranges and tnum_neg. */
    private static Scalar negate(boolean alu64, Scalar dst) {
        WorkingScalar operand = new WorkingScalar(dst);
        WorkingScalar w = new WorkingScalar(dst);
        w.markKnown(0);
        ArithmeticBounds.sub32(w, operand);
        ArithmeticBounds.sub64(w, operand);
        w.bits = operand.bits.neg();
        return finish(w, alu64);
    }

    private static Scalar binary(AluOp op, boolean alu64, Scalar dst, Scalar src) {
        WorkingScalar d = new WorkingScalar(dst);
        WorkingScalar s = new WorkingScalar(src);
        if (isShift(op) && !isConstShiftAmount(s, alu64)) {
            return Scalar.unknown();
        }
        switch (op) {
            case ADD -> {
                ArithmeticBounds.add32(d, s);
                ArithmeticBounds.add64(d, s);
                d.bits = d.bits.add(s.bits);
            }
            case SUB -> {
                ArithmeticBounds.sub32(d, s);
                ArithmeticBounds.sub64(d, s);
                d.bits = d.bits.sub(s.bits);
            }
            case MUL -> {
                d.bits = d.bits.mul(s.bits);
                ArithmeticBounds.mul32(d, s);
                ArithmeticBounds.mul64(d, s);
            }
            case AND -> {
                d.bits = d.bits.and(s.bits);
                BitwiseBounds.and32(d, s);
                BitwiseBounds.and64(d, s);
            }
            case OR -> {
                d.bits = d.bits.or(s.bits);
                BitwiseBounds.or32(d, s);
                BitwiseBounds.or64(d, s);
            }
            case XOR -> {
                d.bits = d.bits.xor(s.bits);
                BitwiseBounds.xor32(d, s);
                BitwiseBounds.xor64(d, s);
            }
            case LSH -> {
                if (alu64) ShiftBounds.lsh64(d, s); else ShiftBounds.lsh32(d, s);
            }
            case RSH -> {
                if (alu64) ShiftBounds.rsh64(d, s); else ShiftBounds.rsh32(d, s);
            }
            case ARSH -> {
                if (alu64) ShiftBounds.arsh64(d, s); else ShiftBounds.arsh32(d, s);
            }
            default -> throw new IllegalStateException("not a binary operation: " + op);
        }
        return finish(d, alu64);
    }

    private static Scalar finish(WorkingScalar w, boolean alu64) {
        if (!alu64) {
            w.zeroExtend32();
        }
        BoundsSync.sync(w);
        return w.toScalar();
    }

    private static boolean isShift(AluOp op) {
        return op == AluOp.LSH || op == AluOp.RSH || op == AluOp.ARSH;
    }

    /**
     * is_safe_to_compute_dst_reg_range for shifts: one known amount, and (read as the whole 64-bit register,
     * even for 32-bit shifts) below the operand width.
     */
    private static boolean isConstShiftAmount(WorkingScalar amount, boolean alu64) {
        boolean known = alu64 ? amount.isConst64() : amount.isConst32();
        return known && Unsigned.less(amount.umax, alu64 ? 64 : 32);
    }
}
