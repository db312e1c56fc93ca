package org.ebpf4j.verifier.state;

import java.util.Objects;
import org.ebpf4j.verifier.Limits;

/**
 * Whether every concrete state of one abstract state is a concrete state of another that was already verified
 * safe from the same instruction, so the walk may stop there (the kernel's states_equal).
 *
 * <p>Registers: an old NOT_INIT register was never read after this point, so anything matches it, and so does a
 * register dead there ({@link PruneMarks}), as does a dead stack slot; an old precise scalar must contain the new one
 * ({@link org.ebpf4j.verifier.scalar.Scalar#isWithin}), an imprecise one any scalar; pointers must be equal. Stack
 * (privileged: a read of an unwritten byte gives an unknown number): old unwritten or misc bytes match any bytes
 * holding numbers, old zero bytes only zero bytes, an old spill only a spill of a contained register; with marks,
 * an old 8-byte spilled number also matches bytes that all hold unknown data (an unknown number) or zeros.
 *
 * <p>Scalar ids (copies of one number): where the old state linked numbers that a later comparison refined
 * together, the current state must link the same ones, so the ids must correspond one to one (the kernel's
 * check_ids). An old id held by a single register or slot links nothing and is ignored; current links where the
 * old state had none only know more.
 */
public final class StateContainment {
    private StateContainment() {}

    public static boolean isWithin(VerifierState cur, VerifierState old) {
        return isWithin(cur, old, true, false);
    }

    /**
     * As {@link #isWithin(VerifierState, VerifierState)}, for a loader that may or may not read uninitialised stack
     * (without, an old misc byte matches only bytes holding numbers that were written), and with numbers compared
     * exactly where {@code exactScalars} (the kernel's explore_alu_limits).
     */
    public static boolean isWithin(VerifierState cur, VerifierState old, boolean uninitStackReadable,
                                   boolean exactScalars) {
        return isWithin(cur, old, uninitStackReadable, exactScalars, null);
    }

    /**
     * As {@link #isWithin(VerifierState, VerifierState, boolean, boolean)}, ignoring what {@code marks} lets go
     * (null: nothing): dead registers and stack slots, and imprecise numbers, which any number matches.
     */
    public static boolean isWithin(VerifierState cur, VerifierState old, boolean uninitStackReadable,
                                   boolean exactScalars, PruneMarks marks) {
        // refsafe: the same references (ebpf4j compares ids exactly; the kernel maps them, pruning more).
        if (cur.frameCount() != old.frameCount() || !cur.references().equals(old.references())) {
            return false;
        }
        ScalarIdMap ids = new ScalarIdMap(old);
        Mode mode = new Mode(uninitStackReadable, exactScalars, exactScalars ? null : marks);
        for (int f = 0; f < cur.frameCount(); f++) {
            // states_equal: every frame must come from the same call instruction (and be within the old one).
            if (cur.frame(f).callsite() != old.frame(f).callsite()
                    || !Objects.equals(cur.frame(f).callback(), old.frame(f).callback())
                    || !frameWithin(f, cur.frame(f), old.frame(f), ids, mode)) {
                return false;
            }
        }
        return true;
    }

    /** How strictly to compare: see {@link #isWithin(VerifierState, VerifierState, boolean, boolean)}. */
    private record Mode(boolean uninitStackReadable, boolean exactScalars, PruneMarks marks) {
        boolean live(int frame, int reg) {
            return marks == null || marks.live(frame, reg);
        }

        boolean liveSlot(int frame, int slot) {
            return marks == null || marks.liveSlot(frame, slot);
        }

        boolean preciseReg(int frame, int reg) {
            return marks == null || marks.preciseReg(frame, reg);
        }

        boolean preciseSlot(int frame, int slot) {
            return marks == null || marks.preciseSlot(frame, slot);
        }
    }

    private static boolean frameWithin(int f, FrameState cur, FrameState old, ScalarIdMap ids, Mode mode) {
        for (int r = 0; r < org.ebpf4j.isa.Register.COUNT; r++) {
            if (mode.live(f, r)
                    && !regWithin(cur.reg(r), old.reg(r), ids, mode.exactScalars(), mode.preciseReg(f, r))) {
                return false;
            }
        }
        for (int s = 0; s < FrameState.SLOTS; s++) {
            if (mode.liveSlot(f, s) && !slotWithin(cur.slot(s), old.slot(s), ids, mode, mode.preciseSlot(f, s))) {
                return false;
            }
        }
        return true;
    }

    static boolean regWithin(RegisterType cur, RegisterType old, ScalarIdMap ids) {
        return regWithin(cur, old, ids, false, true);
    }

    /** regsafe: an imprecise old number matches any number, its id unchecked, as in the kernel. */
    private static boolean regWithin(RegisterType cur, RegisterType old, ScalarIdMap ids, boolean exactScalars,
                                     boolean precise) {
        return switch (old) {
            case RegisterType.NotInit n -> true;
            case RegisterType.ScalarValue o -> cur instanceof RegisterType.ScalarValue c && (!precise
                    || (exactScalars ? c.value().equals(o.value()) : c.value().isWithin(o.value()))
                    && ids.matches(o.id(), c.id()));
            // regsafe: the same map and offset, the variable part within the old one's (ids must match exactly
            // here, where the kernel maps them; stricter, so it prunes less).
            case RegisterType.PtrToMapValue o -> cur instanceof RegisterType.PtrToMapValue c && c.map() == o.map()
                    && c.off() == o.off() && c.orNull() == o.orNull() && c.id() == o.id()
                    && c.varOff().isWithin(o.varOff());
            default -> cur.equals(old);
        };
    }

    private static boolean slotWithin(StackSlot cur, StackSlot old, ScalarIdMap ids, Mode mode, boolean precise) {
        if (mode.marks() != null && old.spillSize() == Limits.REG_SIZE
                && old.spilled() instanceof RegisterType.ScalarValue) {
            RegisterType number = wholeNumber(cur, mode.uninitStackReadable());
            return number != null && regWithin(number, old.spilled(), ids, mode.exactScalars(), precise);
        }
        int from = 0;
        if (old.isSpill()) {
            if (!cur.isSpill() || cur.spillSize() != old.spillSize()
                    || !regWithin(cur.spilled(), old.spilled(), ids, mode.exactScalars(), precise)) {
                return false;
            }
            from = old.spillSize();
        }
        boolean curHoldsNumbers = !cur.isSpill() || cur.spilled() instanceof RegisterType.ScalarValue;
        for (int i = from; i < Limits.REG_SIZE; i++) {
            boolean ok = switch (old.at(i)) {
                case INVALID -> curHoldsNumbers;
                case MISC -> curHoldsNumbers && (mode.uninitStackReadable() || cur.at(i) != StackByte.INVALID);
                case ZERO -> cur.at(i) == StackByte.ZERO;
                case SPILL -> throw new IllegalStateException("spill bytes outside the spill");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * The number a whole 8-byte load of the slot gives, or null (the kernel's scalar_reg_for_stack): a spilled
     * number, an unknown one from bytes that all hold unknown data, zero from zero bytes.
     */
    private static RegisterType wholeNumber(StackSlot slot, boolean uninitStackReadable) {
        if (slot.isSpill()) {
            return slot.spillSize() == Limits.REG_SIZE && slot.spilled() instanceof RegisterType.ScalarValue
                    ? slot.spilled() : null;
        }
        boolean misc = true;
        boolean zero = true;
        for (int i = 0; i < Limits.REG_SIZE; i++) {
            StackByte b = slot.at(i);
            misc &= b == StackByte.MISC || (uninitStackReadable && b == StackByte.INVALID);
            zero &= b == StackByte.ZERO;
        }
        return misc ? RegisterType.ScalarValue.unknown() : zero ? RegisterType.ScalarValue.constant(0) : null;
    }
}
