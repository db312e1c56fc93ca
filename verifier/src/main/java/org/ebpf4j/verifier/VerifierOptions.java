package org.ebpf4j.verifier;

import org.ebpf4j.spec.ProgramType;

/**
 * How a program is loaded, as the fields of {@code BPF_PROG_LOAD} that the verifier reads.
 *
 * @param programType the kernel's {@code BPF_PROG_TYPE_*} number
 * @param expectedAttachType the kernel's {@code BPF_*} attach type number (0 when none)
 * @param programFlags {@code prog_flags} ({@link org.ebpf4j.spec.ProgramLoadFlags})
 * @param privileged true for a loader holding CAP_BPF and CAP_PERFMON (root), false for the unprivileged subset
 */
public record VerifierOptions(int programType, int expectedAttachType, int programFlags, boolean privileged) {

    /** A privileged socket filter, the kernel's test_verifier default. */
    public static VerifierOptions socketFilter() {
        return new VerifierOptions(ProgramType.SOCKET_FILTER.value(), 0, 0, true);
    }
}
