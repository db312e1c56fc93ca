package org.ebpf4j.verifier.walk;

import java.util.HashMap;
import java.util.Map;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;

/**
 * Spectre v1 sanitation of pointer arithmetic for loaders without CAP_BPF (the kernel's sanitize_ptr_alu,
 * retrieve_ptr_limit, update_alu_sanitation_state and sanitize_check_bounds). The JIT of such a program masks the
 * offset register so that even a mispredicted path cannot move the pointer out of its object; the verifier decides
 * whether that mask exists. A pointer moved by a register must be a stack or map value pointer, the register's
 * sign must be known, the move must stay inside the object, and every path through the instruction must need the
 * same mask ("from different maps, paths or scalars"). Only verdicts are modelled here: the masks themselves are
 * the JIT's business.
 */
final class AluSanitation {
    /** BPF_ALU_SANITIZE_SRC, _DST, BPF_ALU_NEG_VALUE, _IMMEDIATE: which operand is masked, in which direction. */
    private static final int SANITIZE_SRC = 1;
    private static final int SANITIZE_DST = 2;
    private static final int NEG_VALUE = 4;
    private static final int IMMEDIATE = 8;
    private static final String NOT_ROOT = "pointer arithmetic with it prohibited for !root";

    /** The masking window one path needs at an instruction: its alu_state and alu_limit. */
    private record Mask(int state, long limit) {}

    /** What the first half of sanitize_ptr_alu learned, for the second. */
    record Window(boolean maskToLeft, int state, long limit) {}

    private final Map<Integer, Mask> byInsn = new HashMap<>();
    private boolean exploresLimits;
    /** The speculative way past masked arithmetic that the last instruction owes, if any. */
    enum Simulation {
        NONE, POINTER_IN_DST, POINTER_IN_SRC
    }

    private Simulation simulation = Simulation.NONE;

    /** The speculative way the last instruction asked for (sanitize_ptr_alu's do_sim), and forgets it. */
    Simulation takeSimulation() {
        Simulation s = simulation;
        simulation = Simulation.NONE;
        return s;
    }

    boolean exploresLimits() {
        return exploresLimits;
    }

    /**
     * Before the operation, for ADD and SUB with a register operand: the offset's sign must be known, and the
     * pointer's limit in the masking direction must exist.
     */
    Window begin(int idx, AluOp op, int dstReg, int srcReg, boolean ptrIsDst, RegisterType ptr, Scalar off) {
        boolean offIsNeg = off.smin() < 0;
        if (!off.isConst() && offIsNeg != (off.smax() < 0)) {
            throw VerificationFailure.rule(idx, "R%d has unknown scalar with mixed signed bounds, %s",
                    ptrIsDst ? srcReg : dstReg, NOT_ROOT);
        }
        boolean maskToLeft = (op == AluOp.ADD && offIsNeg) || (op == AluOp.SUB && !offIsNeg);
        long limit = limit(idx, op, dstReg, ptrIsDst ? dstReg : srcReg, ptr, maskToLeft);
        // A register known to be constant is rewritten to an immediate by the kernel: no mask, so no speculative
        // way past it, and no need to keep paths apart for it.
        boolean offIsImm = off.isConst();
        int state = (offIsNeg ? NEG_VALUE : 0) | (offIsImm ? IMMEDIATE : 0) | (ptrIsDst ? SANITIZE_SRC : SANITIZE_DST);
        if (!offIsImm) {
            exploresLimits = true;
            simulation = ptrIsDst ? Simulation.POINTER_IN_DST : Simulation.POINTER_IN_SRC;
        }
        return new Window(maskToLeft, state, limit);
    }

    /**
     * After the operation: the window narrows to how far the pointer moved, and every path through the instruction
     * must need the same one.
     */
    void commit(int idx, AluOp op, int dstReg, RegisterType result, Window window) {
        long after = limit(idx, op, dstReg, dstReg, result, window.maskToLeft());
        Mask mask = new Mask(window.state(), Math.abs(window.limit() - after));
        Mask seen = byInsn.putIfAbsent(idx, mask);
        if (seen != null && !seen.equals(mask)) {
            throw VerificationFailure.rule(idx, "R%d tried to %s from different maps, paths or scalars, %s", dstReg,
                    verb(op), NOT_ROOT);
        }
    }

    /** retrieve_ptr_limit: how far the pointer may move in the masking direction (u32 arithmetic as the kernel). */
    private static long limit(int idx, AluOp op, int dstReg, int ptrReg, RegisterType ptr, boolean maskToLeft) {
        long max;
        long limit;
        switch (ptr) {
            case PtrToStack s -> {
                max = Limits.MAX_BPF_STACK + (maskToLeft ? 1 : 0);
                limit = Integer.toUnsignedLong((int) -(s.varOff().bits().value() + s.off()));
            }
            case PtrToMapValue v -> {
                max = Integer.toUnsignedLong(v.map().valueSize());
                long bound = maskToLeft ? v.varOff().smin() : v.varOff().umax();
                limit = Integer.toUnsignedLong((int) (bound + v.off()));
            }
            default -> throw VerificationFailure.rule(idx, "R%d has pointer with unsupported alu operation, %s",
                    ptrReg, NOT_ROOT);
        }
        if (limit >= max) {
            throw VerificationFailure.rule(idx, "R%d tried to %s beyond pointer bounds, %s", dstReg, verb(op),
                    NOT_ROOT);
        }
        return limit;
    }

    /**
     * sanitize_check_bounds: the result of any arithmetic on a stack or map value pointer must point inside the
     * object, so that later accesses can be masked.
     */
    static void checkBounds(int idx, int dstReg, RegisterType result) {
        switch (result) {
            case PtrToStack s -> {
                long off = s.off() + s.varOff().bits().value();
                if (!s.varOff().isConst()) {
                    throw VerificationFailure.unsupported(idx, "variable stack pointers without CAP_BPF");
                }
                if (off >= 0 || off < -Limits.MAX_BPF_STACK) {
                    throw VerificationFailure.rule(idx, "R%d stack pointer arithmetic goes out of range, prohibited "
                            + "for !root; off=%d", dstReg, off);
                }
            }
            case PtrToMapValue v -> {
                try {
                    ObjectAccess.checkRegion(dstReg, v.varOff(), v.off(), 1, v.map().valueSize(), false, idx,
                            "map value", "value_size");
                } catch (VerificationFailure f) {
                    if (f.kind() != Verdict.Cause.RULE) {
                        throw f;
                    }
                    // The kernel logs check_map_access's complaint, then its own.
                    throw VerificationFailure.rule(idx, "%s%nR%d pointer arithmetic of map value goes out of range, "
                            + "prohibited for !root", f.getMessage(), dstReg);
                }
            }
            default -> { }
        }
    }

    private static String verb(AluOp op) {
        return op == AluOp.ADD ? "add" : "sub";
    }
}
