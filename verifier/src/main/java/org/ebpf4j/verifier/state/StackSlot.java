package org.ebpf4j.verifier.state;

import java.util.Arrays;
import org.ebpf4j.verifier.Limits;

/**
 * One 8-byte stack slot: a {@link StackByte} per byte (index 0 is the lowest address) and, when the slot holds a
 * spilled register, that register. A spill covers the slot's lowest bytes: all eight for a register, fewer for a
 * narrower aligned store of a number (the kernel's save_register_state with a size), which keeps the whole
 * register so that a load of the same width reads it back. Immutable: writes build new slots.
 */
public final class StackSlot {
    public static final StackSlot EMPTY = uniform(StackByte.INVALID);

    private final StackByte[] bytes;
    private final RegisterType spilled;

    private StackSlot(StackByte[] bytes, RegisterType spilled) {
        this.bytes = bytes;
        this.spilled = spilled;
    }

    private static StackSlot uniform(StackByte b) {
        StackByte[] bytes = new StackByte[Limits.REG_SIZE];
        Arrays.fill(bytes, b);
        return new StackSlot(bytes, null);
    }

    /** A whole register spilled into the slot. */
    public static StackSlot spill(RegisterType reg) {
        StackByte[] bytes = new StackByte[Limits.REG_SIZE];
        Arrays.fill(bytes, StackByte.SPILL);
        return new StackSlot(bytes, reg);
    }

    /**
     * This slot after a register is spilled into its lowest {@code size} bytes; the bytes above keep what they
     * held, except the rest of an older spill, which becomes MISC.
     */
    public StackSlot spill(RegisterType reg, int size) {
        StackByte[] next = bytes.clone();
        for (int i = 0; i < Limits.REG_SIZE; i++) {
            if (i < size) {
                next[i] = StackByte.SPILL;
            } else if (next[i] == StackByte.SPILL) {
                next[i] = StackByte.MISC;
            }
        }
        return new StackSlot(next, reg);
    }

    /** How many of the lowest bytes the spilled register covers (0 without a spill). */
    public int spillSize() {
        int n = 0;
        while (n < Limits.REG_SIZE && bytes[n] == StackByte.SPILL) {
            n++;
        }
        return n;
    }

    public StackByte at(int index) {
        return bytes[index];
    }

    /** The spilled register, or null when the slot holds none. */
    public RegisterType spilled() {
        return spilled;
    }

    public boolean isSpill() {
        return spilled != null;
    }

    /**
     * The slot after a narrower write of {@code length} bytes at {@code from}: those bytes become {@code written};
     * a spilled register is destroyed and its remaining bytes become MISC (the kernel's scrub_spilled_slot).
     */
    public StackSlot overwrite(int from, int length, StackByte written) {
        StackByte[] next = bytes.clone();
        if (spilled != null) {
            Arrays.fill(next, StackByte.MISC);
        }
        Arrays.fill(next, from, from + length, written);
        return new StackSlot(next, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StackSlot other && Arrays.equals(bytes, other.bytes)
                && java.util.Objects.equals(spilled, other.spilled);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + java.util.Objects.hashCode(spilled);
    }

    /** The kernel's slot-type string: one letter per byte, highest address first ("mmmm0000", "rrrrrrrr"). */
    public String typeString() {
        StringBuilder s = new StringBuilder();
        for (int i = Limits.REG_SIZE - 1; i >= 0; i--) {
            s.append(switch (bytes[i]) {
                case INVALID -> '?';
                case MISC -> 'm';
                case ZERO -> '0';
                case SPILL -> 'r';
            });
        }
        return s.toString();
    }
}
