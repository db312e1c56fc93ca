package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.StackByte;
import org.ebpf4j.verifier.state.StackSlot;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * The stack for a loader without CAP_BPF and CAP_PERFMON (allow_uninit_stack, allow_ptr_leaks and bpf_capable
 * false): bytes never written may not be read, by the program or by a helper; a spilled pointer may be replaced
 * whole but not partly overwritten, nor read by a helper or an atomic operation as a number; and numbers are not
 * spilled at all (check_stack_write_fixed_off spills scalars only for bpf_capable), so a stored number reads back
 * as an unknown one, or as zero where it was known to be zero.
 */
final class UnprivilegedStack {
    private UnprivilegedStack() {}

    /** check_stack_read_fixed_off: every byte read must have been written. */
    static void checkRead(FrameState frame, int off, int size, int idx) {
        StackSlot slot = frame.slot(FrameState.slotIndex(off));
        if (slot.isSpill()) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (slot.at(Math.floorMod(off + i, Limits.REG_SIZE)) == StackByte.INVALID) {
                throw VerificationFailure.rule(idx, "invalid read from stack off %d+%d size %d", off, i, size);
            }
        }
    }

    /** check_stack_write_fixed_off without bpf_capable; {@code value} is null for the write of an atomic operation. */
    static void write(FrameState frame, int off, int size, RegisterType value, int idx) {
        int index = FrameState.slotIndex(off);
        StackSlot slot = frame.slot(index);
        if (slot.isSpill() && !(slot.spilled() instanceof RegisterType.ScalarValue) && size != Limits.REG_SIZE) {
            throw VerificationFailure.rule(idx, "attempt to corrupt spilled pointer on stack");
        }
        if (value != null && value.isPointer()) {
            StackAccess.write(frame, off, size, value, idx);
            return;
        }
        boolean zero = value instanceof RegisterType.ScalarValue s && s.value().isConst()
                && s.value().bits().value() == 0;
        frame.setSlot(index, slot.overwrite(Math.floorMod(off, Limits.REG_SIZE), size,
                zero ? StackByte.ZERO : StackByte.MISC));
    }

    /** An atomic operation reads the slot first as a number (check_stack_read_fixed_off with no destination). */
    static void checkAtomic(FrameState frame, int off, int idx) {
        StackSlot slot = frame.slot(FrameState.slotIndex(off));
        if (slot.isSpill() && slot.spilled().isPointer()) {
            throw VerificationFailure.rule(idx, "leaking pointer from stack off %d", off);
        }
    }

    /**
     * check_stack_range_initialized for a helper's memory argument (not a raw-mode one, which only writes): every
     * byte must hold a number. Out-of-range accesses are left to {@link HelperMemory}, which refuses them first.
     */
    static void checkHelperAccess(VerifierState state, int regno, RegisterType reg, int size, int idx) {
        if (!(reg instanceof PtrToStack ptr) || !ptr.varOff().isConst() || size <= 0) {
            return;
        }
        long minOff = ptr.varOff().bits().value() + ptr.off();
        if (minOff < -Limits.MAX_BPF_STACK || minOff + size > 0) {
            return;
        }
        FrameState frame = state.frame(ptr.frame());
        for (int i = 0; i < size; i++) {
            int off = (int) (minOff + i);
            StackSlot slot = frame.slot(FrameState.slotIndex(off));
            StackByte b = slot.at(Math.floorMod(off, Limits.REG_SIZE));
            boolean number = b == StackByte.MISC || b == StackByte.ZERO
                    || (slot.isSpill() && slot.spilled() instanceof RegisterType.ScalarValue);
            if (!number) {
                throw VerificationFailure.rule(idx, "invalid indirect read from stack R%d off %d+%d size %d", regno,
                        minOff, i, size);
            }
        }
    }
}
