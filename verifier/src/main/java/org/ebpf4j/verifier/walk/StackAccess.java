package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.scalar.ScalarAlu;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.StackByte;
import org.ebpf4j.verifier.state.StackSlot;

/**
 * Loads and stores through a stack pointer with a constant offset (the kernel's check_stack_read_fixed_off and
 * check_stack_write_fixed_off, privileged): alignment is always strict on the stack, the access must lie in the
 * frame's 512 bytes, 8-byte stores of registers and aligned stores of numbers spill them, other narrow stores
 * leave numbers (zero when the value is known zero), and reading bytes never written gives an unknown number
 * (privileged programs may).
 *
 * <p>Precision is deliberately never above the kernel's: a more precise verifier accepts what the kernel rejects.
 * Sign-extending loads of spilled numbers read unknown numbers here (the kernel sign-extends the spilled value).
 */
final class StackAccess {
    private StackAccess() {}

    enum Kind {
        READ(" read from"), WRITE(" write to");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    /** The frame offset of the access, after the alignment and bounds checks. */
    static int checkedOffset(int regno, PtrToStack ptr, int insnOff, int size, Kind kind, int idx) {
        if (!ptr.varOff().isConst()) {
            throw VerificationFailure.unsupported(idx, "stack access through a variable offset");
        }
        long var = ptr.varOff().bits().value();
        long off = var + ptr.off() + insnOff;
        if (size > 1 && Math.floorMod(off, size) != 0) {
            throw VerificationFailure.rule(idx, "misaligned stack access off %s+%d+%d size %d",
                    var == 0 ? "0" : String.format("%#x", var), ptr.off(), insnOff, size);
        }
        if (off < -Limits.MAX_BPF_STACK || off > -1 || off + size > 0) {
            throw VerificationFailure.rule(idx, "invalid%s stack R%d off=%d size=%d", kind.text, regno,
                    ptr.off() + insnOff, size);
        }
        return (int) off;
    }

    /** What a load of {@code size} bytes at frame offset {@code off} puts in its register. */
    static RegisterType read(FrameState frame, int off, int size, boolean signExtend, int idx) {
        frame.growStack(-off);
        StackSlot slot = frame.slot(FrameState.slotIndex(off));
        int first = byteInSlot(off);
        if (slot.isSpill() && size == Limits.REG_SIZE && slot.spillSize() == Limits.REG_SIZE) {
            return slot.spilled();
        }
        if (slot.isSpill()) {
            if (!(slot.spilled() instanceof ScalarValue spilled)) {
                throw VerificationFailure.rule(idx, "invalid size of register fill");
            }
            // The low bytes of a little-endian spill are the spilled value cut to size.
            if (first == 0 && size <= slot.spillSize()) {
                if (signExtend) {
                    return unknown(size, true);
                }
                // A number that fits in the read width is the spilled number itself, and stays linked to it.
                return new ScalarValue(truncate(spilled.value(), size),
                        ScalarLinks.fits(spilled, size) ? spilled.id() : 0);
            }
            boolean allSpilledZero = spilled.value().isConst() && spilled.value().bits().value() == 0;
            int spillBytes = 0;
            for (int i = first; i < first + size; i++) {
                spillBytes += slot.at(i) == StackByte.SPILL ? 1 : 0;
            }
            if (spillBytes == size && allSpilledZero) {
                return ScalarValue.constant(0);
            }
        }
        for (int i = first; i < first + size; i++) {
            if (slot.at(i) != StackByte.ZERO) {
                return unknown(size, signExtend);
            }
        }
        return ScalarValue.constant(0);
    }

    /**
     * A store of {@code size} bytes at {@code off}: {@code value} is the stored register (or the immediate as a
     * constant), null for a value the verifier does not know (the write half of an atomic operation). Aligned
     * stores of numbers spill them, whatever their width; other narrow stores leave zero or misc bytes.
     */
    static void write(FrameState frame, int off, int size, RegisterType value, int idx) {
        frame.growStack(-off);
        int index = FrameState.slotIndex(off);
        StackSlot slot = frame.slot(index);
        if (value != null && value.isPointer() && size != Limits.REG_SIZE) {
            throw VerificationFailure.rule(idx, "invalid size of register spill");
        }
        boolean aligned = byteInSlot(off) == 0;
        if (value != null && (size == Limits.REG_SIZE || (aligned && value instanceof ScalarValue))) {
            frame.setSlot(index, slot.spill(value, size));
            return;
        }
        boolean zero = value instanceof ScalarValue s && s.value().isConst() && s.value().bits().value() == 0;
        frame.setSlot(index, slot.overwrite(byteInSlot(off), size, zero ? StackByte.ZERO : StackByte.MISC));
    }

    private static Scalar truncate(Scalar s, int size) {
        return size == Limits.REG_SIZE ? s : ScalarAlu.truncate(s, size);
    }

    private static int byteInSlot(int off) {
        return Math.floorMod(off, Limits.REG_SIZE);
    }

    private static RegisterType unknown(int size, boolean signExtend) {
        if (signExtend || size == Limits.REG_SIZE) {
            return ScalarValue.unknown();
        }
        return new ScalarValue(ScalarAlu.truncate(Scalar.unknown(), size));
    }
}
