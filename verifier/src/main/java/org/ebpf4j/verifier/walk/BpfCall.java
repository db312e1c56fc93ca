package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.StatePrinter;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * bpf-to-bpf calls of static subprograms (the kernel's check_func_call, setup_func_entry, set_callee_state and
 * prepare_func_exit): a call pushes a frame whose r1-r5 are the caller's arguments and whose other registers are
 * unset, then leaves the caller's r1-r5 unreadable; the callee's exit returns r0 to the caller and continues after
 * the call. Callee-saved r6-r9 stay as they were in the caller's frame, which the callee cannot reach; the
 * callee may use pointers into its callers' stacks, but may not return one into its own.
 */
final class BpfCall {
    private BpfCall() {}

    private static final int FIRST_ARGUMENT = Register.R1.number();
    private static final int LAST_ARGUMENT = Register.R5.number();

    /** A call to the subprogram at {@code idx + 1 + imm}; returns the instruction the walk continues with. */
    static int enter(Instruction insn, int idx, VerifierState state, Subprograms subprograms,
                     GlobalFunctions globals, WalkLog log) {
        int target = idx + 1 + insn.imm32();
        int subprog = subprograms.startingAt(target);
        if (subprog < 0) {
            throw new IllegalStateException("the structural pass lets calls reach subprogram starts only: " + target);
        }
        if (globals.isGlobal(subprog)) {
            return globals.call(idx, subprog, state, log);
        }
        FrameState caller = state.current();
        FrameState callee = newFrame(state, idx, subprog, null);
        for (int r = FIRST_ARGUMENT; r <= LAST_ARGUMENT; r++) {
            callee.setReg(r, caller.reg(r));
        }
        state.push(callee);
        clearCallerSaved(caller);
        if (log.enabled()) {
            log.note("caller:\n " + StatePrinter.frame(caller) + "\ncallee:\n " + StatePrinter.frame(callee));
        }
        return target;
    }

    /**
     * setup_func_entry: a new innermost frame for subprogram {@code subprog}, called from {@code callsite}; at most
     * {@link Limits#MAX_CALL_FRAMES} frames.
     */
    static FrameState newFrame(VerifierState state, int callsite, int subprog, FrameState.CallbackReturn callback) {
        if (state.frameCount() >= Limits.MAX_CALL_FRAMES) {
            throw VerificationFailure.rule(callsite, "the call stack of %d frames is too deep",
                    state.frameCount() + 1);
        }
        return FrameState.called(state.frameCount(), callsite, subprog, callback);
    }

    /** clear_caller_saved_regs: r1-r5 do not survive a call. */
    static void clearCallerSaved(FrameState frame) {
        for (int r = FIRST_ARGUMENT; r <= LAST_ARGUMENT; r++) {
            frame.setReg(r, RegisterType.NotInit.INSTANCE);
        }
    }

    /**
     * prepare_func_exit: a plain call's callee gives its r0 (set or not: reading it is the caller's business) to
     * the caller, whose walk continues after the call; a callback goes back to the helper call ({@link Callbacks}).
     * Returns the next instruction.
     */
    static int exit(int idx, VerifierState state, StackDepths depths, WalkLog log) {
        FrameState callee = state.current();
        RegisterType r0 = callee.reg(Register.R0.number());
        if (r0 instanceof RegisterType.PtrToStack) {
            // Conservative in the kernel too: only the callee's own stack dies here, but every stack pointer is refused.
            throw VerificationFailure.rule(idx, "cannot return stack pointer to the caller");
        }
        if (callee.callback() != null) {
            return Callbacks.exit(idx, state, depths, log);
        }
        state.pop();
        depths.record(callee);
        FrameState caller = state.current();
        caller.setReg(Register.R0.number(), r0);
        int next = callee.callsite() + 1;
        if (log.enabled()) {
            log.note("returning from callee:\n " + StatePrinter.frame(callee) + "\nto caller at " + next + ":\n "
                    + StatePrinter.frame(caller));
        }
        return next;
    }
}
