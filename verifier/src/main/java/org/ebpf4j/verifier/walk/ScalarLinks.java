package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Numbers copied from one another (the kernel's scalar ids): a move or a spill gives the source an id, unless it
 * is a constant (assign_scalar_id_before_mov), and the copy keeps it; a comparison that refines one of them then
 * refines every register and spilled register with that id (sync_linked_regs). A narrower copy (32-bit move,
 * narrow spill or fill) is linked only where the number fits in its width, so that the copy is the same number.
 * Sign-extending moves and loads make new numbers.
 */
final class ScalarLinks {
    private ScalarLinks() {}

    /** The number in {@code reg}, given an id first if it has none, ready to be copied. */
    static ScalarValue linked(FrameState frame, int reg, ScalarValue value, IdGenerator ids) {
        if (value.id() != 0 || value.value().isConst()) {
            return value;
        }
        ScalarValue withId = new ScalarValue(value.value(), ids.next());
        frame.setReg(reg, withId);
        return withId;
    }

    /** Whether the number is unchanged when cut to {@code bytes} bytes (the kernel's get_reg_width). */
    static boolean fits(ScalarValue value, int bytes) {
        return bytes >= Long.BYTES || Long.compareUnsigned(value.value().umax(), 1L << (8 * bytes)) < 0;
    }

    /** Every copy of {@code refined} (the same nonzero id), in every frame and on the stack, learns its bounds. */
    static void sync(VerifierState state, ScalarValue refined) {
        if (refined.id() == 0) {
            return;
        }
        NullCheck.forEachRegister(state, reg -> isCopy(reg, refined.id()) ? refined : reg);
    }

    private static boolean isCopy(RegisterType reg, int id) {
        return reg instanceof ScalarValue s && s.id() == id;
    }
}
