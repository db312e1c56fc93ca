package org.ebpf4j.verifier.walk;

import java.util.Set;
import org.ebpf4j.isa.Register;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.StatePrinter;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Helpers that call a static subprogram back (bpf_loop, bpf_for_each_map_elem), as Linux 6.18 verifies them
 * (push_callback_call, set_loop_callback_state, set_map_elem_callback_state, prepare_func_exit): the call forks a
 * path that enters the callback in a new frame with the helper's arguments, while the caller continues after the
 * helper; the callback's exit must return a number in [0, 1] and goes back to the helper call itself, which runs
 * again (another iteration). The iterations stop where the state at the helper call is within one still being
 * explored there (the walk prunes it); bpf_loop enters its callback at most as many times as its count's maximum.
 *
 * <p>The kernel also widens, after each iteration, the numbers that changed and carry no precision mark
 * (widen_imprecise_scalars), which ends iterations that would otherwise go on. ebpf4j keeps precision marks
 * ({@link Precision}) but does not widen yet, so a walk that reaches a complexity limit after iterating callbacks is
 * reported as unsupported rather than as the kernel's rejection.
 */
final class Callbacks {
    private Callbacks() {}

    /** callback_ret_range of both helpers. */
    private static final FrameState.CallbackReturn ZERO_OR_ONE = new FrameState.CallbackReturn(0, 1);

    /** Maps whose ops have map_set_for_each_callback_args. */
    private static final Set<MapType> FOR_EACH_MAPS = Set.of(MapType.ARRAY, MapType.PERCPU_ARRAY, MapType.HASH,
            MapType.PERCPU_HASH, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH);

    /** Whether the helper calls back into the program (is_sync_callback_calling_function, for the modelled ones). */
    static boolean callsBack(int helperId) {
        return helperId == HelperFunction.LOOP.value() || helperId == HelperFunction.FOR_EACH_MAP_ELEM.value();
    }

    /**
     * The state that enters the callback named by the helper's PTR_TO_FUNC argument, or null where bpf_loop has
     * already entered it as often as its count allows. Called after the arguments are checked, before r1-r5 are
     * cleared; helpers other than these two are refused as unsupported, so no callback goes unverified.
     */
    static VerifierState enter(HelperFunction helper, HelperArguments args, int idx, VerifierState state) {
        if (!callsBack(helper.value())) {
            throw VerificationFailure.unsupported(idx, "callbacks of this helper",
                    helper.kernelName() + "#" + helper.value());
        }
        FrameState caller = state.current();
        if (helper == HelperFunction.LOOP) {
            if (!(caller.reg(Register.R1.number()) instanceof ScalarValue countReg)) {
                throw VerificationFailure.unsupported(idx, "bpf_loop with a pointer as its count");
            }
            long count = countReg.value().umax();
            if (Long.compareUnsigned(caller.callbackDepth(), count) >= 0) {
                caller.setCallbackDepth(0);
                return null;
            }
        }
        MapSpec map = args.map();
        if (helper == HelperFunction.FOR_EACH_MAP_ELEM && !FOR_EACH_MAPS.contains(map.type())) {
            throw VerificationFailure.rule(idx, "callback function not allowed for map");
        }
        VerifierState entering = state.copy();
        FrameState callee = BpfCall.newFrame(entering, idx, args.callback(), ZERO_OR_ONE);
        if (helper == HelperFunction.LOOP) {
            // callback_fn(u64 index, void *callback_ctx)
            callee.setReg(1, ScalarValue.unknown());
            callee.setReg(2, caller.reg(3));
        } else {
            // callback_fn(struct bpf_map *map, void *key, void *value, void *callback_ctx)
            callee.setReg(1, caller.reg(1));
            callee.setReg(2, new RegisterType.PtrToMapKey(map, 0, Scalar.constant(0)));
            callee.setReg(3, RegisterType.PtrToMapValue.start(map, false, 0));
            callee.setReg(4, caller.reg(3));
        }
        FrameState enteringCaller = entering.current();
        enteringCaller.setCallbackDepth(enteringCaller.callbackDepth() + 1);
        entering.push(callee);
        entering.enterCallback();
        caller.setCallbackDepth(0);
        return entering;
    }

    /** A callback's exit: r0 within the return range, then back to the helper call in the caller's frame. */
    static int exit(int idx, VerifierState state, StackDepths depths, WalkLog log) {
        FrameState callee = state.current();
        if (!(callee.reg(Register.R0.number()) instanceof ScalarValue r0)) {
            throw VerificationFailure.rule(idx, "R0 not a scalar value");
        }
        FrameState.CallbackReturn range = callee.callback();
        Scalar v = r0.value();
        if (v.smin() < range.min() || v.smax() > range.max()) {
            String has = (v.smin() > Long.MIN_VALUE ? " smin=" + v.smin() : "")
                    + (v.smax() < Long.MAX_VALUE ? " smax=" + v.smax() : "");
            throw VerificationFailure.rule(idx, "At callback return the register R0 has%s should have been in [%d, %d]",
                    has.isEmpty() ? " unknown scalar value" : has, range.min(), range.max());
        }
        state.pop();
        depths.record(callee);
        int next = callee.callsite();
        if (log.enabled()) {
            log.note("returning from callee:\n " + StatePrinter.frame(callee) + "\nto caller at " + next + ":\n "
                    + StatePrinter.frame(state.current()));
        }
        return next;
    }

}
