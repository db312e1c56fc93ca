package org.ebpf4j.verifier;

import java.util.Set;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.cfg.Slot;

/**
 * What Linux checks of an unprivileged load (no CAP_BPF, no CAP_PERFMON) before the walk: bpf_prog_load lets
 * such a loader load only socket filters and cgroup skb programs (EPERM, before the verifier, so there is no log),
 * and add_subprog_and_kfunc refuses bpf-to-bpf calls, function addresses and kfunc calls without CAP_BPF.
 */
final class UnprivilegedLoad {
    private UnprivilegedLoad() {}

    /** The program types bpf_prog_load accepts from a loader without CAP_BPF. */
    static final Set<Integer> TYPES = Set.of(ProgramType.SOCKET_FILTER.value(), ProgramType.CGROUP_SKB.value());

    static void check(byte[] code, VerifierOptions options) {
        if (!TYPES.contains(options.programType())) {
            throw VerificationFailure.rule(-1, "program type %s needs CAP_BPF; unprivileged loaders may load "
                    + "socket_filter and cgroup_skb programs only (EPERM)", ProgramType.of(options.programType())
                    .map(ProgramType::kernelName).orElse(Integer.toString(options.programType())));
        }
    }

    static void checkNoCalls(Slot[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isLocalCall() || raw[i].isFunctionAddress() || raw[i].isKfuncCall()) {
                throw VerificationFailure.rule(i, "loading/calling other bpf or kernel functions are allowed for "
                        + "CAP_BPF and CAP_SYS_ADMIN");
            }
            if (raw[i].isLddw()) {
                i++;
            }
        }
    }
}
