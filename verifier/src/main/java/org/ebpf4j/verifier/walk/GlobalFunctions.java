package org.ebpf4j.verifier.walk;

import java.util.List;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.FunctionInfo;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Global functions (BTF_FUNC_GLOBAL in func_info): the kernel does not follow a call into one. The call checks the
 * caller's registers against the function's BTF prototype (btf_check_func_arg_match), returns an unknown number in
 * r0 and marks the function called; after the main program, every called global function is verified once on its
 * own, from a state built from its prototype (do_check_subprogs, btf_prepare_func_args): numbers unknown, the
 * context at offset 0. Prototypes with other parameters are not modelled yet.
 */
final class GlobalFunctions {
    private final List<FunctionInfo> functions;
    private final boolean[] called;
    private final boolean[] verified;

    GlobalFunctions(List<FunctionInfo> functions, int subprogCount) {
        this.functions = functions;
        this.called = new boolean[subprogCount];
        this.verified = new boolean[subprogCount];
    }

    boolean isGlobal(int subprog) {
        return !functions.isEmpty() && functions.get(subprog).global();
    }

    /** A call to global function {@code subprog}; the walk continues after it. */
    int call(int idx, int subprog, VerifierState state, WalkLog log) {
        FunctionInfo function = functions.get(subprog);
        FrameState caller = state.current();
        checkPrototype(function, idx);
        for (int i = 0; i < function.arguments().size(); i++) {
            String problem = mismatch(function.arguments().get(i), caller.reg(i + 1), i);
            if (problem != null) {
                throw VerificationFailure.rule(idx, "%s\nCaller passes invalid args into func#%d ('%s')", problem,
                        subprog, function.name());
            }
        }
        if (log.enabled()) {
            log.note(String.format("Func#%d ('%s') is global and assumed valid.", subprog, function.name()));
        }
        called[subprog] = true;
        BpfCall.clearCallerSaved(caller);
        caller.setReg(Register.R0.number(), RegisterType.ScalarValue.unknown());
        return idx + 1;
    }

    /** The name of subprogram {@code subprog} in func_info. */
    String name(int subprog) {
        return functions.get(subprog).name();
    }

    /** The next global function called and not verified yet, in subprogram order, or -1. */
    int nextToVerify() {
        for (int s = 1; s < called.length; s++) {
            if (called[s] && !verified[s]) {
                verified[s] = true;
                return s;
            }
        }
        return -1;
    }

    /** The state a global function is verified from: its arguments as its prototype describes them. */
    VerifierState entry(int subprog) {
        FunctionInfo function = functions.get(subprog);
        checkPrototype(function, -1);
        FrameState frame = FrameState.called(0, -1, subprog, null);
        for (int i = 0; i < function.arguments().size(); i++) {
            frame.setReg(i + 1, switch (function.arguments().get(i)) {
                case SCALAR -> RegisterType.ScalarValue.unknown();
                case CONTEXT -> new RegisterType.PtrToCtx(0);
                case OTHER -> throw new IllegalStateException("refused by checkPrototype");
            });
        }
        return VerifierState.of(frame);
    }

    /** check_return_code for a global function's exit: r0 must hold a number. */
    static void checkExit(FrameState frame, int idx) {
        RegisterType r0 = RegisterAccess.read(frame, Register.R0.number(), idx);
        if (!(r0 instanceof RegisterType.ScalarValue)) {
            throw VerificationFailure.rule(idx, "At subprogram exit the register R0 is not a scalar value (%s)",
                    r0.kernelName());
        }
    }

    private static void checkPrototype(FunctionInfo function, int idx) {
        if (function.arguments().size() > Register.R5.number()
                || function.arguments().contains(FunctionInfo.Argument.OTHER)) {
            throw VerificationFailure.unsupported(idx,
                    "global functions with arguments other than numbers and the context", function.name());
        }
        if (!function.returnsScalar()) {
            throw VerificationFailure.unsupported(idx, "global functions that do not return a number",
                    function.name());
        }
    }

    /** What btf_check_func_arg_match says of a register passed for argument {@code i}, or null when it fits. */
    private static String mismatch(FunctionInfo.Argument argument, RegisterType reg, int i) {
        return switch (argument) {
            case SCALAR -> reg instanceof RegisterType.ScalarValue ? null
                    : String.format("R%d is not a scalar", i + 1);
            case CONTEXT -> {
                if (reg instanceof RegisterType.PtrToCtx ctx && ctx.off() != 0) {
                    yield String.format("dereference of modified ctx ptr R%d off=%d disallowed", i + 1, ctx.off());
                }
                yield reg instanceof RegisterType.PtrToCtx ? null
                        : String.format("arg#%d expects pointer to ctx", i);
            }
            case OTHER -> throw new IllegalStateException("refused by checkPrototype");
        };
    }
}
