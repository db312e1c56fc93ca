package org.ebpf4j.verifier.walk;

import java.util.function.UnaryOperator;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.verifier.scalar.BranchOutcome;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ConstPtrToMap;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.StackSlot;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Pointers that may be NULL (PTR_MAYBE_NULL) and what comparisons with zero teach about them: the kernel's
 * reg_not_null and is_branch_taken for pointers, mark_ptr_or_null_regs (every copy sharing the compared
 * pointer's id, in every frame and spilled on the stack, becomes either the number 0 or the pointer without its
 * NULL) and mark_ptr_not_null_reg (a map-in-map's value is its inner map).
 */
final class NullCheck {
    private NullCheck() {}

    /** reg_not_null: pointer types that are never NULL once they exist. */
    static boolean isNotNull(RegisterType reg) {
        return switch (reg) {
            case PtrToMapValue v -> !v.orNull();
            case RegisterType.PtrToMapKey k -> true;
            case ConstPtrToMap m -> true;
            case RegisterType.PtrToMem m -> !m.orNull();
            default -> false;
        };
    }

    /** Whether the register is a pointer that may still be NULL. */
    static boolean mayBeNull(RegisterType reg) {
        return switch (reg) {
            case PtrToMapValue v -> v.orNull();
            case RegisterType.PtrToMem m -> m.orNull();
            default -> false;
        };
    }

    /** The id that links the copies of a maybe-NULL pointer. */
    static int id(RegisterType reg) {
        return switch (reg) {
            case PtrToMapValue v -> v.id();
            case RegisterType.PtrToMem m -> m.id();
            default -> throw new IllegalArgumentException("not a nullable pointer: " + reg);
        };
    }

    /**
     * is_branch_taken where a pointer meets a constant: a pointer that cannot be NULL is never equal to 0.
     * {@code value} is the other operand's constant, or null where it is not one.
     */
    static BranchOutcome predict(JumpOp op, RegisterType pointer, Long value) {
        if (value == null || !isNotNull(pointer) || value != 0) {
            return BranchOutcome.UNKNOWN;
        }
        return switch (op) {
            case JEQ -> BranchOutcome.NEVER;
            case JNE -> BranchOutcome.ALWAYS;
            default -> BranchOutcome.UNKNOWN;
        };
    }

    /** mark_ptr_or_null_regs: every copy of the pointer with {@code id} is now 0 ({@code isNull}) or valid. */
    static void resolve(VerifierState state, int id, boolean isNull) {
        forEachRegister(state, reg -> mayBeNull(reg) && id(reg) == id ? resolved(reg, isNull) : reg);
    }

    /** mark_ptr_not_null_reg on one register only (a comparison of two pointers, one maybe NULL, found equal). */
    static RegisterType notNull(RegisterType reg) {
        return resolved(reg, false);
    }

    private static RegisterType resolved(RegisterType reg, boolean isNull) {
        if (isNull) {
            return ScalarValue.constant(0);
        }
        return switch (reg) {
            case PtrToMapValue v -> {
                MapSpec map = v.map();
                if (map.innerMap().isPresent()) {
                    yield new ConstPtrToMap(map.innerMap().get());
                }
                // Without a bpf_spin_lock in the value (which needs BTF), the id is no longer needed.
                yield new PtrToMapValue(map, v.off(), v.varOff(), false, 0);
            }
            case RegisterType.PtrToMem m -> m.withoutNull();
            default -> reg;
        };
    }

    /** Applies {@code change} to every register and spilled register of every frame. */
    static void forEachRegister(VerifierState state, UnaryOperator<RegisterType> change) {
        for (int f = 0; f < state.frameCount(); f++) {
            FrameState frame = state.frame(f);
            for (int r = 0; r < org.ebpf4j.isa.Register.COUNT; r++) {
                frame.setReg(r, change.apply(frame.reg(r)));
            }
            for (int s = 0; s < FrameState.SLOTS; s++) {
                StackSlot slot = frame.slot(s);
                if (slot.isSpill()) {
                    RegisterType spilled = change.apply(slot.spilled());
                    if (spilled != slot.spilled()) {
                        frame.setSlot(s, slot.spill(spilled, slot.spillSize()));
                    }
                }
            }
        }
    }
}
