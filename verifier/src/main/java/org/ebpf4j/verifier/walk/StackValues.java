package org.ebpf4j.verifier.walk;

import java.util.Arrays;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.state.FrameState;

/**
 * What {@link StackPointers} knows at one point of a frame's code: per register, whether it may point into a stack
 * ({@link #NOT_STACK}, a known offset from the frame pointer, or {@link #ANY_STACK}), and which of the frame's slots
 * may hold a spilled stack pointer (a fill from any other slot is a number). Mutable while a block is followed.
 */
final class StackValues {
    static final long ALL_SLOTS = -1L;
    static final int NOT_STACK = Integer.MIN_VALUE;
    static final int ANY_STACK = Integer.MAX_VALUE;
    /** Offsets beyond this from a known pointer cannot be accessed; they are folded into "anywhere". */
    static final int MAX_TRACKED_OFFSET = 1 << 20;
    /** In a subprogram's summary, argument n at entry plus an offset lies around n times this. */
    private static final int ARGUMENT_BAND = 1 << 22;

    final int[] regs = new int[Register.COUNT];
    long pointerSlots;

    StackValues() {
        Arrays.fill(regs, NOT_STACK);
        regs[Register.FP.number()] = 0;
    }

    StackValues copy() {
        StackValues copy = new StackValues();
        System.arraycopy(regs, 0, copy.regs, 0, regs.length);
        copy.pointerSlots = pointerSlots;
        return copy;
    }

    /** Joins {@code other} into these values; true if they changed. */
    boolean absorb(StackValues other) {
        boolean changed = (other.pointerSlots & ~pointerSlots) != 0;
        pointerSlots |= other.pointerSlots;
        for (int r = 0; r < regs.length; r++) {
            int joined = join(regs[r], other.regs[r]);
            changed |= joined != regs[r];
            regs[r] = joined;
        }
        return changed;
    }

    /** What a load of {@code size} bytes at {@code address + off} may give. */
    int loaded(int address, int off, int size) {
        if (address == NOT_STACK) {
            return NOT_STACK;
        }
        // Through an unknown stack pointer or an argument, another frame's slot may be read.
        return !isFrameOffset(address) || (covered(address, off, size) & pointerSlots) != 0 ? ANY_STACK : NOT_STACK;
    }

    /** A store of {@code value}: an aligned 8-byte one replaces its slot's content, others merge. */
    void stored(int address, int off, int size, int value) {
        int whole = overwritten(address, off, size);
        if (whole >= 0) {
            pointerSlots = value == NOT_STACK ? pointerSlots & ~(1L << whole) : pointerSlots | 1L << whole;
        } else {
            merged(address, off, size, value);
        }
    }

    void merged(int address, int off, int size, int value) {
        if (value != NOT_STACK && address != NOT_STACK) {
            pointerSlots |= covered(address, off, size);
        }
    }

    /** {@code r10 + k}: a known offset into this frame. */
    static boolean isFrameOffset(int value) {
        return value != NOT_STACK && value != ANY_STACK && Math.abs(value) <= MAX_TRACKED_OFFSET;
    }

    /** Argument {@code reg} (r1-r5) as the subprogram received it, plus a known offset (summaries only). */
    static boolean isArgument(int value) {
        return value != NOT_STACK && value != ANY_STACK && Math.abs(value) > MAX_TRACKED_OFFSET;
    }

    static int argument(int reg) {
        return reg * ARGUMENT_BAND;
    }

    static int argumentRegister(int value) {
        return (value + ARGUMENT_BAND / 2) / ARGUMENT_BAND;
    }

    static int argumentOffset(int value) {
        return value - argument(argumentRegister(value));
    }

    /** A known pointer moved by {@code delta} bytes: the same kind, or anywhere once far out of any frame. */
    static int moved(int value, long delta) {
        int base = isArgument(value) ? argument(argumentRegister(value)) : 0;
        long offset = (long) value - base + delta;
        return Math.abs(offset) > MAX_TRACKED_OFFSET ? ANY_STACK : (int) (base + offset);
    }

    /** The slots an access of {@code size} bytes at {@code pointer + off} may touch. */
    static long covered(int pointer, int off, int size) {
        if (pointer == NOT_STACK) {
            return 0;
        }
        if (!isFrameOffset(pointer)) {
            return ALL_SLOTS;
        }
        long lo = (long) pointer + off;
        long hi = lo + size - 1;
        if (lo < -Limits.MAX_BPF_STACK || hi >= 0) {
            // The walk refuses the access; assumed to read everything, as anything unusual is.
            return ALL_SLOTS;
        }
        long mask = 0;
        for (int s = FrameState.slotIndex((int) hi); s <= FrameState.slotIndex((int) lo); s++) {
            mask |= 1L << s;
        }
        return mask;
    }

    /** The slot a store of {@code size} bytes at {@code pointer + off} replaces whole, or -1. */
    static int overwritten(int pointer, int off, int size) {
        if (!isFrameOffset(pointer) || size != Limits.REG_SIZE) {
            return -1;
        }
        long at = (long) pointer + off;
        boolean inFrame = at >= -Limits.MAX_BPF_STACK && at < 0 && at % Limits.REG_SIZE == 0;
        return inFrame ? FrameState.slotIndex((int) at) : -1;
    }

    static int join(int a, int b) {
        return a == b ? a : ANY_STACK;
    }
}
