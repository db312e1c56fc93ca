package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Register;
import org.ebpf4j.spec.context.ReturnRange;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * check_return_code for program types whose return values the kernel restricts: at the main program's exit R0
 * must be a number whose signed 64-bit bounds lie in the type's range (retval_range_within, 64-bit form), with the
 * kernel's verbose_invalid_scalar message otherwise.
 */
final class ReturnCode {
    private ReturnCode() {}

    static void check(FrameState frame, ReturnRange range, int idx) {
        RegisterType r0 = frame.reg(Register.R0.number());
        if (!(r0 instanceof ScalarValue scalar)) {
            throw VerificationFailure.rule(idx, "At program exit the register R0 is not a known value (%s)",
                    r0.kernelName());
        }
        Scalar v = scalar.value();
        if (range.contains(v.smin(), v.smax())) {
            return;
        }
        StringBuilder bounds = new StringBuilder();
        if (v.smin() > Long.MIN_VALUE) {
            bounds.append(" smin=").append(v.smin());
        }
        if (v.smax() < Long.MAX_VALUE) {
            bounds.append(" smax=").append(v.smax());
        }
        if (bounds.isEmpty()) {
            bounds.append(" unknown scalar value");
        }
        throw VerificationFailure.rule(idx, "At program exit the register R0 has%s should have been in [%d, %d]",
                bounds, range.min(), range.max());
    }
}
