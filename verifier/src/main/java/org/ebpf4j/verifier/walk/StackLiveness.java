package org.ebpf4j.verifier.walk;

import java.util.function.IntUnaryOperator;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Which stack slots of its own frame each instruction may read before they are overwritten whole, on some path
 * from it: the stack's counterpart of {@link LiveRegisters} (the kernel 6.18 computes stack liveness too,
 * kernel/bpf/liveness.c, and its stacksafe() skips dead slots): {@link BackwardDataFlow} over the effects
 * {@link StackPointers} finds; a slot outside the live set cannot influence anything from there, so pruning
 * ignores it.
 *
 * <p>For a state's outer frames, what matters is the slots the frame reads after its call returns; unless some
 * call on the way to the innermost frame may have passed a stack pointer (the callees may then read the frame's
 * stack at any time) or one of those frames is a callback's (its caller runs the helper call again): then every
 * slot counts.
 */
final class StackLiveness {
    private final StackPointers effects;
    private final long[] liveIn;

    private StackLiveness(StackPointers effects, long[] liveIn) {
        this.effects = effects;
        this.liveIn = liveIn;
    }

    static StackLiveness of(Instructions program, Subprograms subprograms, IntUnaryOperator helperArguments) {
        StackPointers effects = StackPointers.of(program, subprograms, helperArguments);
        int slots = program.slotCount();
        long[] overwritten = new long[slots];
        long[] read = new long[slots];
        for (int slot = 0; slot < slots; slot++) {
            read[slot] = effects.reads(slot);
            int whole = effects.overwrites(slot);
            overwritten[slot] = whole < 0 ? 0 : 1L << whole;
        }
        long[] live = BackwardDataFlow.liveIn(program, read, overwritten);
        return new StackLiveness(effects, live);
    }

    /** Slots of the instruction's frame live before the instruction at {@code slot}, one bit per stack slot. */
    long before(int slot) {
        return liveIn[slot];
    }

    /** Per frame of {@code state} at instruction {@code insn}, outermost first, the slots a comparison must keep. */
    long[] liveSlots(VerifierState state, int insn) {
        int innermost = state.frameCount() - 1;
        long[] live = new long[state.frameCount()];
        live[innermost] = before(insn);
        boolean reachable = false;
        for (int f = innermost - 1; f >= 0; f--) {
            FrameState callee = state.frame(f + 1);
            reachable |= callee.callback() != null || effects.passesStack(callee.callsite());
            live[f] = reachable ? StackValues.ALL_SLOTS : before(callee.callsite() + 1);
        }
        return live;
    }
}
