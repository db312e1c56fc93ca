package org.ebpf4j.verifier.corpus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ebpf4j.spec.ProgramType;

/**
 * What a corpus case says about a load without CAP_BPF and CAP_PERFMON, from its selftest metadata: test_verifier's
 * {@code result_unpriv} ("same" as the privileged result unless stated) with {@code errstr_unpriv}, or a
 * verifier_*.c program's {@code __success_unpriv} / {@code __failure_unpriv} with its {@code __msg_unpriv} lines.
 * The running kernel refuses unprivileged loads altogether (kernel.unprivileged_bpf_disabled), so these authors'
 * expectations are the ground truth for the unprivileged mode.
 *
 * @param verdict "accept" or "reject"
 * @param messages what the rejection's log must contain (empty when the case names nothing)
 * @param byProgramType true where the expectation is bpf_prog_load's refusal of a program type an unprivileged
 *     loader may not load (test_verifier runs such cases privileged only, so they state nothing else)
 * @param supersededBy where the selftest's expectation (Linux 6.12's tests) no longer holds for Linux 6.18, the
 *     kernel change that altered it; ebpf4j follows 6.18 there
 */
public record UnprivilegedExpectation(String verdict, List<String> messages, boolean byProgramType,
                                      Optional<String> supersededBy) {

    /**
     * Cases whose 6.12 expectation a later kernel change overturned. Both rely on BPF_NEG making a number unknown;
     * since after Linux 6.12 the verifier tracks negation (adjust_scalar_min_max_vals' BPF_NEG, tnum_neg), so both paths
     * add the same known 2 and need the same mask, and 6.18 accepts.
     */
    private static final Map<String, String> SUPERSEDED = Map.of(
            "verifier_progs/verifier_value_ptr_arith.bpf.o/5", "BPF_NEG range tracking (after Linux 6.12, in 6.18)",
            "verifier_progs/verifier_value_ptr_arith.bpf.o/6", "BPF_NEG range tracking (after Linux 6.12, in 6.18)");

    /** bpf_prog_load: the program types a loader without CAP_BPF may load. */
    private static final Set<Integer> LOADABLE = Set.of(ProgramType.SOCKET_FILTER.value(),
            ProgramType.CGROUP_SKB.value());

    public UnprivilegedExpectation {
        messages = List.copyOf(messages);
    }

    public boolean rejects() {
        return verdict.equals("reject");
    }

    /** The case's expectation, if it states one. */
    static Optional<UnprivilegedExpectation> of(String name, Map<String, Object> json, int programType) {
        Object unpriv = json.get("expected_unpriv");
        if (unpriv == null) {
            return Optional.empty();
        }
        if (!LOADABLE.contains(programType)) {
            return Optional.of(new UnprivilegedExpectation("reject", List.of(), true, Optional.empty()));
        }
        boolean testVerifier = json.containsKey("errstr_unpriv");
        String verdict = unpriv.equals("same") ? (String) json.get("expected_priv") : (String) unpriv;
        if (!verdict.equals("accept") && !verdict.equals("reject")) {
            return Optional.empty();
        }
        List<String> messages;
        if (testVerifier) {
            String errstr = (String) json.get("errstr_unpriv");
            if (errstr == null || errstr.isEmpty()) {
                errstr = (String) json.getOrDefault("errstr", "");
            }
            messages = errstr.isEmpty() ? List.of() : List.of(errstr);
        } else {
            messages = strings(json.get("expected_msgs_unpriv"));
            if (messages.isEmpty() && unpriv.equals("same")) {
                messages = strings(json.get("expected_msgs"));
            }
        }
        return Optional.of(new UnprivilegedExpectation(verdict, verdict.equals("reject") ? messages : List.of(),
                false, Optional.ofNullable(SUPERSEDED.get(name))));
    }

    private static List<String> strings(Object value) {
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(String::valueOf).filter(s -> !s.isBlank()).toList();
    }
}
