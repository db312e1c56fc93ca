package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.BranchOutcome;
import org.ebpf4j.verifier.scalar.BranchPrediction;
import org.ebpf4j.verifier.scalar.BranchRefinement;
import org.ebpf4j.verifier.scalar.Operands;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Conditional jumps (the kernel's check_cond_jmp_op): both operands readable, the outcome predicted where the
 * scalars decide it, each feasible path continuing with what it learned. Privileged loaders may compare pointers
 * (others only in the cases {@link PointerComparison} allows),
 * and such a comparison explores both paths, learning only a packet range ({@link PacketRange}), as Linux 6.18
 * does even for pointers that
 * cannot be null ({@code if r1 == 0} with r1 the context: the corpus's "conditional loop" is an infinite loop for
 * the kernel because of it).
 */
final class JumpRule {
    private JumpRule() {}

    static Successors apply(Instruction insn, int idx, VerifierState state, Capabilities caps) {
        JumpOp op = JumpOp.of(insn.opcode());
        boolean jmp32 = insn.opClass() == OpClass.JMP32;
        FrameState frame = state.current();
        RegisterType dst = RegisterAccess.read(frame, insn.dst(), idx);
        RegisterType src;
        if (insn.usesImmediate()) {
            if (insn.src() != 0) {
                throw VerificationFailure.rule(idx, "BPF_JMP/JMP32 uses reserved fields");
            }
            src = ScalarValue.constant(insn.imm());
        } else {
            if (insn.imm() != 0) {
                throw VerificationFailure.rule(idx, "BPF_JMP/JMP32 uses reserved fields");
            }
            src = RegisterAccess.read(frame, insn.src(), idx);
            PointerComparison.checkSource(caps, dst, src, insn.src(), idx);
        }
        if (dst instanceof ScalarValue d && src instanceof ScalarValue s) {
            return scalars(insn, op, jmp32, state, d, s);
        }
        BranchOutcome outcome = dst.isPointer() ? NullCheck.predict(op, dst, constant(src, jmp32))
                : NullCheck.predict(flipped(op), src, constant(dst, jmp32));
        switch (outcome) {
            case ALWAYS -> {
                return new Successors(state, null);
            }
            case NEVER -> {
                return new Successors(null, state);
            }
            case UNKNOWN -> { }
        }
        VerifierState taken = state.copy();
        boolean againstZero = insn.usesImmediate() && insn.imm() == 0 && (op == JumpOp.JEQ || op == JumpOp.JNE);
        if (!jmp32 && againstZero && NullCheck.mayBeNull(dst)) {
            // JEQ: the taken path has NULL; JNE: the fall-through has.
            int id = NullCheck.id(dst);
            VerifierState nullPath = op == JumpOp.JEQ ? taken : state;
            if (dst instanceof RegisterType.PtrToMem m && m.refObjId() == id) {
                // Nothing was acquired where the helper returned NULL.
                nullPath.release(id);
            }
            NullCheck.resolve(taken, id, op == JumpOp.JEQ);
            NullCheck.resolve(state, id, op == JumpOp.JNE);
        } else {
            PointerComparison.checkDestination(caps, dst, src, jmp32, insn.dst(), idx);
            inferNotNull(insn, op, jmp32, dst, src, taken, state);
            PacketRange.learn(insn, op, jmp32, dst, src, taken, state);
        }
        return new Successors(taken, state);
    }

    /**
     * Two pointers compared for equality, one maybe NULL and the other not: where they are equal, the first is
     * not NULL either (the kernel marks that register alone, not its copies).
     */
    private static void inferNotNull(Instruction insn, JumpOp op, boolean jmp32, RegisterType dst, RegisterType src,
                                     VerifierState taken, VerifierState fallThrough) {
        if (jmp32 || insn.usesImmediate() || !dst.isPointer() || !src.isPointer()
                || NullCheck.mayBeNull(dst) == NullCheck.mayBeNull(src) || (op != JumpOp.JEQ && op != JumpOp.JNE)) {
            return;
        }
        FrameState equal = (op == JumpOp.JEQ ? taken : fallThrough).current();
        int reg = NullCheck.mayBeNull(src) ? insn.src() : insn.dst();
        equal.setReg(reg, NullCheck.notNull(equal.reg(reg)));
    }

    /** The operand's value where it is a known number (in the compared width), else null. */
    private static Long constant(RegisterType reg, boolean jmp32) {
        if (reg instanceof ScalarValue s && (jmp32 ? s.value().isSubregConst() : s.value().isConst())) {
            return s.value().constValue(jmp32);
        }
        return null;
    }

    /** The comparison with its operands swapped (flip_opcode). */
    private static JumpOp flipped(JumpOp op) {
        return switch (op) {
            case JGT -> JumpOp.JLT;
            case JLT -> JumpOp.JGT;
            case JGE -> JumpOp.JLE;
            case JLE -> JumpOp.JGE;
            case JSGT -> JumpOp.JSLT;
            case JSLT -> JumpOp.JSGT;
            case JSGE -> JumpOp.JSLE;
            case JSLE -> JumpOp.JSGE;
            default -> op;
        };
    }

    private static Successors scalars(Instruction insn, JumpOp op, boolean jmp32, VerifierState state,
                                      ScalarValue d, ScalarValue s) {
        BranchOutcome outcome = BranchPrediction.predict(op, jmp32, d.value(), s.value());
        return switch (outcome) {
            case ALWAYS -> new Successors(state, null);
            case NEVER -> new Successors(null, state);
            case UNKNOWN -> {
                VerifierState taken = state.copy();
                refine(insn, op, jmp32, true, taken, d, s);
                refine(insn, op, jmp32, false, state, d, s);
                yield new Successors(taken, state);
            }
        };
    }

    /** Both registers learn from the path; a comparison of a register with itself teaches nothing. */
    private static void refine(Instruction insn, JumpOp op, boolean jmp32, boolean taken, VerifierState state,
                               ScalarValue d, ScalarValue s) {
        if (!insn.usesImmediate() && insn.src() == insn.dst()) {
            return;
        }
        Operands refined = BranchRefinement.refine(op, jmp32, taken, d.value(), s.value());
        FrameState frame = state.current();
        ScalarValue left = new ScalarValue(refined.left(), d.id());
        frame.setReg(insn.dst(), left);
        ScalarLinks.sync(state, left);
        if (!insn.usesImmediate()) {
            ScalarValue right = new ScalarValue(refined.right(), s.id());
            frame.setReg(insn.src(), right);
            // Two copies of one number compared with each other: each refinement holds, but not for both at once.
            if (s.id() != d.id()) {
                ScalarLinks.sync(state, right);
            }
        }
    }
}
