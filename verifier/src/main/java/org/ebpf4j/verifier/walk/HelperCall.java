package org.ebpf4j.verifier.walk;

import java.util.Set;
import org.ebpf4j.isa.Register;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;

/**
 * Helper calls (the kernel's check_helper_call). Modelled today: the helpers that take no argument and return a
 * number, which every program type may call (bpf_base_func_proto's unconditional part). After any call r1-r5 are
 * unreadable (the callee may have clobbered them) and r0 holds an unknown number; the kernel narrows some return
 * values (bpf_get_smp_processor_id to the CPU count), ebpf4j does not, which is less precise and never unsafe.
 * Every other helper is rejected as unsupported, naming it.
 */
final class HelperCall {
    private HelperCall() {}

    private static final Set<HelperFunction> NO_ARGUMENT_NUMBERS = Set.of(
            HelperFunction.KTIME_GET_NS, HelperFunction.GET_PRANDOM_U32, HelperFunction.GET_SMP_PROCESSOR_ID);

    /** Caller-saved registers: r1-r5 carry arguments and do not survive the call. */
    private static final int FIRST_ARGUMENT = Register.R1.number();
    private static final int LAST_ARGUMENT = Register.R5.number();

    static void apply(int id, int idx, FrameState frame) {
        HelperFunction helper = HelperFunction.of(id)
                .orElseThrow(() -> VerificationFailure.rule(idx, "invalid func unknown#%d", id));
        if (!NO_ARGUMENT_NUMBERS.contains(helper)) {
            throw VerificationFailure.unsupported(idx, "helper call", helper.kernelName() + "#" + id);
        }
        for (int r = FIRST_ARGUMENT; r <= LAST_ARGUMENT; r++) {
            frame.setReg(r, RegisterType.NotInit.INSTANCE);
        }
        frame.setReg(Register.R0.number(), RegisterType.ScalarValue.unknown());
    }
}
