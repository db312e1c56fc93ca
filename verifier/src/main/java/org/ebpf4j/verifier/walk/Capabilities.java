package org.ebpf4j.verifier.walk;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * What the loader may do, and what the unprivileged rules remember during one walk. With CAP_BPF and CAP_PERFMON
 * the kernel sets env->allow_ptr_leaks, allow_uninit_stack, bypass_spec_v1, bypass_spec_v4 and bpf_capable; without
 * them all five are false, and ebpf4j knows no loader in between, so one flag stands for the five.
 */
final class Capabilities {
    private final boolean privileged;
    private final AluSanitation sanitation = new AluSanitation();
    /** Per bpf_tail_call instruction, the map it was reached with; null once two paths brought different maps. */
    private final Map<Integer, Optional<MapSpec>> tailCallMaps =
            new HashMap<>();

    Capabilities(boolean privileged) {
        this.privileged = privileged;
    }

    /** CAP_BPF and CAP_PERFMON: pointers may leak, uninitialised stack may be read, no Spectre sanitation. */
    boolean privileged() {
        return privileged;
    }

    /** The per-instruction masking windows of unprivileged pointer arithmetic (the kernel's aux alu_state). */
    AluSanitation sanitation() {
        return sanitation;
    }

    /**
     * record_func_map for bpf_tail_call: an unprivileged program's tail call is made through the one prog array it
     * was verified with, so every path must bring the same map (the kernel poisons the instruction otherwise).
     */
    void recordTailCall(int idx, MapSpec map) {
        tailCallMaps.merge(idx, Optional.of(map),
                (old, now) -> old.isPresent() && old.get() == now.get() ? old : Optional.empty());
    }

    /** do_misc_fixups after a successful walk: "tail_call abusing map_ptr" where a tail call saw two maps. */
    void checkTailCalls() {
        tailCallMaps.entrySet().stream().filter(e -> e.getValue().isEmpty()).mapToInt(Map.Entry::getKey)
                .min().ifPresent(idx -> {
                    throw VerificationFailure.rule(idx, "tail_call abusing map_ptr");
                });
    }

    /**
     * env->explore_alu_limits: once a pointer moved by a register was sanitised, pruning compares numbers exactly,
     * so that every path reaches the arithmetic with its own masking window.
     */
    boolean exactScalars() {
        return sanitation.exploresLimits();
    }
}
