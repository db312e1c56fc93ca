package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Spectre v1 for loaders without CAP_BPF (bypass_spec_v1 false): the CPU may run a branch's other side although the
 * verifier proved it impossible, and may run past pointer arithmetic before the JIT's mask applies. The kernel
 * walks those ways too (sanitize_speculative_path), from the same state but with the compared registers unknown,
 * or with the pointer unmoved.
 *
 * <p>What a failure there means changed in Linux 6.17: before, it rejected the program; since, the kernel inserts
 * a speculation barrier (nospec) before the failing instruction and accepts. The corpus's selftest expectations
 * are the older ones, and ebpf4j's engines have no barriers to insert, so ebpf4j refuses such programs as
 * unsupported, naming the failure, rather than accepting what the expectations reject.
 */
final class SpeculativePaths {
    private SpeculativePaths() {}

    /** The state the mispredicted side of a decided branch starts from. */
    static VerifierState mispredicted(Instruction insn, VerifierState state) {
        VerifierState spec = state.copy();
        spec.current().setReg(insn.dst(), ScalarValue.unknown());
        if (!insn.usesImmediate()) {
            spec.current().setReg(insn.src(), ScalarValue.unknown());
        }
        return spec;
    }

    /**
     * The state before pointer arithmetic whose offset register the JIT masks, for the way the CPU may take with
     * the offset masked to zero: the destination holds the unmoved pointer (sanitize_ptr_alu's simulation).
     * Null where the instruction is no register addition or subtraction.
     */
    static VerifierState beforeArithmetic(Instruction insn, VerifierState state) {
        AluOp op = AluOp.of(insn.opcode());
        boolean addOrSub = insn.opClass() == OpClass.ALU64 && !insn.usesImmediate()
                && (op == AluOp.ADD || op == AluOp.SUB);
        return addOrSub ? state.copy() : null;
    }

    /** The simulated state: {@code before} with the pointer operand in the destination. */
    static VerifierState unmoved(Instruction insn, VerifierState before, AluSanitation.Simulation simulation) {
        if (simulation == AluSanitation.Simulation.POINTER_IN_SRC) {
            before.current().setReg(insn.dst(), before.current().reg(insn.src()));
        }
        return before;
    }

    /** A failure on a speculative path, as ebpf4j reports it. */
    static VerificationFailure failed(VerificationFailure f) {
        if (f.kind() == Verdict.Cause.UNSUPPORTED) {
            return f;
        }
        return VerificationFailure.unsupported(f.insn(), "recovering from a failure on a speculative path (Linux "
                + "6.17+ would insert a nospec barrier here, earlier kernels reject)", f.getMessage());
    }
}
