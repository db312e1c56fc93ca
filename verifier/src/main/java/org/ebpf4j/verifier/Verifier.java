package org.ebpf4j.verifier;

import java.util.Set;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramLoadFlags;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.cfg.ControlFlowCheck;
import org.ebpf4j.verifier.cfg.FunctionInfoCheck;
import org.ebpf4j.verifier.cfg.InstructionSanityCheck;
import org.ebpf4j.verifier.cfg.Slot;
import org.ebpf4j.verifier.cfg.SubprogramCheck;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.walk.ContextRules;
import org.ebpf4j.verifier.walk.Walk;

/**
 * The verifier: the Linux verifier's passes in its order. Structure first (subprogram boundaries and jumps,
 * instruction sanity, the control-flow graph), then the abstract interpretation of every path.
 *
 * <p>What is not modelled yet is rejected with a message naming it, never accepted unchecked: unprivileged
 * loading, program types whose context or return values have rules, bpf-to-bpf calls and callbacks, kfuncs,
 * helpers whose prototype or arguments are not modelled.
 *
 * <p>Maps and the license come with the {@link VerifierOptions}: an lddw of a map names it by its index in
 * {@link VerifierOptions#maps()}.
 */
public final class Verifier {
    private Verifier() {}

    /**
     * Program types with no rule on their return value and no rule the walk would miss: context accesses follow
     * the type's layout where {@link org.ebpf4j.spec.context.ProgramContexts} describes it and are rejected as
     * unsupported elsewhere.
     */
    private static final Set<Integer> TYPES_WITHOUT_RETURN_RULES = Set.of(
            ProgramType.SOCKET_FILTER.value(), ProgramType.KPROBE.value(), ProgramType.SCHED_CLS.value(),
            ProgramType.SCHED_ACT.value(), ProgramType.TRACEPOINT.value(), ProgramType.XDP.value(),
            ProgramType.PERF_EVENT.value());

    /**
     * prog_flags that change nothing the verifier decides here: alignment is strict on the stack either way, and
     * the test flags change code generation and pruning frequency. BPF_F_TEST_REG_INVARIANTS (set by every kernel
     * selftest) makes the kernel fail where its bounds sanity check would otherwise recover on an infeasible
     * branch; ebpf4j recovers (a known difference, reached by no corpus case).
     */
    private static final int NEUTRAL_FLAGS = ProgramLoadFlags.BPF_F_STRICT_ALIGNMENT
            | ProgramLoadFlags.BPF_F_ANY_ALIGNMENT | ProgramLoadFlags.BPF_F_TEST_RND_HI32
            | ProgramLoadFlags.BPF_F_TEST_STATE_FREQ | ProgramLoadFlags.BPF_F_TEST_REG_INVARIANTS;

    /** Verifies raw little-endian instructions as {@code BPF_PROG_LOAD} receives them. */
    public static Verdict verify(byte[] code, VerifierOptions options) {
        int limit = options.privileged() ? Limits.COMPLEXITY_LIMIT_INSNS : Limits.MAX_INSNS_UNPRIVILEGED;
        int slots = code.length / Instruction.SIZE;
        if (code.length == 0 || code.length % Instruction.SIZE != 0 || slots > limit) {
            // bpf_prog_load refuses these with E2BIG before the verifier runs, so there is no log.
            return rejected(String.format("program of %d bytes is not 1 to %d instructions (E2BIG)", code.length,
                    limit), -1, Verdict.Cause.RULE);
        }
        try {
            Slot[] raw = Slot.decode(code);
            Subprograms subprograms = SubprogramCheck.check(raw);
            FunctionInfoCheck.check(subprograms, options.functions());
            InstructionSanityCheck.check(raw, options.maps());
            ControlFlowCheck.check(raw, options.privileged());
            checkSupported(raw, options);
            return Walk.run(Instructions.decode(code), subprograms, ContextRules.of(options), options);
        } catch (VerificationFailure f) {
            return rejected(f.getMessage(), f.insn(), f.kind());
        }
    }

    /** Verifies an instruction sequence. */
    public static Verdict verify(Instructions program, VerifierOptions options) {
        return verify(program.encode(), options);
    }

    private static void checkSupported(Slot[] raw, VerifierOptions options) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isKfuncCall()) {
                throw VerificationFailure.unsupported(i, "kfunc calls");
            }
        }
        if (!options.privileged()) {
            throw VerificationFailure.unsupported(-1, "unprivileged verification (pointer leaks, Spectre rules)");
        }
        if ((options.programFlags() & ~NEUTRAL_FLAGS) != 0) {
            throw VerificationFailure.unsupported(-1, String.format("prog_flags 0x%x", options.programFlags()));
        }
        boolean plainXdp = options.programType() == ProgramType.XDP.value()
                && (options.expectedAttachType() == 0 || options.expectedAttachType() == AttachType.XDP.value());
        boolean plain = options.expectedAttachType() == 0 || plainXdp
                || options.programType() == ProgramType.SOCKET_FILTER.value();
        if (!TYPES_WITHOUT_RETURN_RULES.contains(options.programType()) || !plain) {
            throw VerificationFailure.unsupported(-1, "program type " + typeName(options.programType())
                    + " with expected attach type " + options.expectedAttachType());
        }
    }

    private static String typeName(int type) {
        return ProgramType.of(type).map(ProgramType::kernelName).orElse(Integer.toString(type));
    }

    private static Verdict rejected(String message, int insn, Verdict.Cause cause) {
        String log = message + "\n" + String.format("processed 0 insns (limit %d) max_states_per_insn 0 total_states 0"
                + " peak_states 0 mark_read 0%n", Limits.COMPLEXITY_LIMIT_INSNS);
        return new Verdict.Rejected(message, insn, cause, log, 0);
    }
}
