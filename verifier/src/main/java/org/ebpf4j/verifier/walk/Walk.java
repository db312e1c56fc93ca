package org.ebpf4j.verifier.walk;

import java.util.ArrayDeque;
import java.util.Deque;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.RegisterType.ConstPtrToMap;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * The abstract interpretation (the kernel's do_check): a depth-first walk of every feasible path from the entry,
 * one instruction at a time, with a stack of paths still to explore. Conditional jumps fork where the scalars
 * cannot decide them; prune points compare the state with explored checkpoints ({@link Checkpoints}); at most
 * {@link Limits#COMPLEXITY_LIMIT_INSNS} instructions are processed in all, so every walk ends.
 */
public final class Walk {
    /** BPF_COMPLEXITY_LIMIT_JMP_SEQ: paths waiting at once. */
    private static final int MAX_PENDING = 8192;

    private final Instructions program;
    private final ContextRules context;
    private final VerifierOptions options;
    private final AccessedPointers accessed;
    private final IdGenerator ids = new IdGenerator();
    private final boolean[] prunePoints;
    private final Checkpoints checkpoints = new Checkpoints();
    private final WalkLog log = new WalkLog();
    private final Deque<Path> pending = new ArrayDeque<>();
    private int processed;

    private Walk(Instructions program, ContextRules context, VerifierOptions options) {
        this.program = program;
        this.context = context;
        this.options = options;
        this.accessed = new AccessedPointers(program.slotCount());
        this.prunePoints = PrunePoints.of(program);
    }

    /** Walks a structurally checked program; the verdict carries the log. */
    public static Verdict run(Instructions program, ContextRules context, VerifierOptions options) {
        Walk walk = new Walk(program, context, options);
        try {
            walk.explore();
            return new Verdict.Accepted(WalkLog.statistics(walk.processed, walk.checkpoints.total()),
                    walk.processed, walk.accessed.facts());
        } catch (VerificationFailure f) {
            Instruction failed = f.insn() >= 0 && program.startsInstruction(f.insn()) ? program.at(f.insn()) : null;
            String text = walk.log.rejection(f.insn(), failed, f.getMessage(), walk.processed,
                    walk.checkpoints.total());
            return new Verdict.Rejected(f.getMessage(), f.insn(), f.kind(), text, walk.processed);
        }
    }

    private void explore() {
        pending.push(new Path(0, VerifierState.entry(), null));
        while (!pending.isEmpty()) {
            Path path = pending.pop();
            log.pathStart(path.insn, path.state.current());
            follow(path);
        }
    }

    /** Follows one path to its exit or to a checkpoint that covers it, pushing the paths it forks. */
    private void follow(Path path) {
        while (true) {
            if (prunePoints[path.insn] && checkpoints.visit(path)) {
                Checkpoints.finish(path.last);
                return;
            }
            if (++processed > Limits.COMPLEXITY_LIMIT_INSNS) {
                throw VerificationFailure.rule(path.insn, "BPF program is too large. Processed %d insn", processed);
            }
            int idx = path.insn;
            Instruction insn = program.at(idx);
            boolean jump = Opcode.isJump(insn.opcode());
            checkpoints.countInstruction(jump);
            int next = jump ? jump(insn, idx, path) : straight(insn, idx, path.state);
            log.step(idx, insn, path.state.current());
            if (next < 0) {
                Checkpoints.finish(path.last);
                return;
            }
            path.insn = next;
        }
    }

    /** Instructions that continue with the next one. */
    private int straight(Instruction insn, int idx, VerifierState state) {
        FrameState frame = state.current();
        switch (insn.opClass()) {
            case ALU, ALU64 -> AluRule.apply(insn, idx, frame, ids);
            case LDX -> MemoryRule.load(insn, idx, state, context, accessed);
            case ST -> MemoryRule.store(insn, idx, state, context, accessed, ids);
            case STX -> {
                if (Mode.of(insn.opcode()) == Mode.ATOMIC) {
                    MemoryRule.atomic(insn, idx, state, accessed);
                } else {
                    MemoryRule.store(insn, idx, state, context, accessed, ids);
                }
            }
            case LD -> loadImmediate(insn, idx, frame);
            case JMP, JMP32 -> throw new IllegalStateException("jumps are handled apart");
        }
        return idx + insn.slots();
    }

    /**
     * check_ld_imm: plain 64-bit constants, map handles and direct map value pointers (the structural pass has
     * checked the map index and the offset); BTF and function references are not modelled yet.
     */
    private void loadImmediate(Instruction insn, int idx, FrameState frame) {
        if (!insn.isLddw()) {
            throw VerificationFailure.unsupported(idx, "legacy packet access (LD_ABS/LD_IND)");
        }
        if (insn.offset() != 0) {
            throw VerificationFailure.rule(idx, "BPF_LD_IMM64 uses reserved fields");
        }
        RegisterAccess.checkWritable(insn.dst(), idx);
        switch (insn.src()) {
            case Opcode.PSEUDO_NONE -> frame.setReg(insn.dst(), ScalarValue.constant(insn.imm()));
            case Opcode.PSEUDO_FUNC -> throw VerificationFailure.unsupported(idx, "callback function addresses");
            case Opcode.PSEUDO_BTF_ID -> throw VerificationFailure.unsupported(idx, "kernel symbols (ksym) by BTF id");
            case Opcode.PSEUDO_MAP_FD, Opcode.PSEUDO_MAP_IDX ->
                    frame.setReg(insn.dst(), new ConstPtrToMap(options.maps().get((int) insn.imm())));
            // The kernel gives direct value pointers id 0: every such pointer is the same, never NULL.
            case Opcode.PSEUDO_MAP_VALUE, Opcode.PSEUDO_MAP_IDX_VALUE -> frame.setReg(insn.dst(),
                    new PtrToMapValue(options.maps().get((int) insn.imm()), (int) (insn.imm() >>> 32),
                            Scalar.constant(0), false, 0));
            default -> throw new IllegalStateException("refused by the structural pass: lddw src " + insn.src());
        }
    }

    /** The next instruction after a jump, or -1 where the path ends. */
    private int jump(Instruction insn, int idx, Path path) {
        JumpOp op = JumpOp.of(insn.opcode());
        if (op == null) {
            throw VerificationFailure.unsupported(idx, "may_goto");
        }
        return switch (op) {
            case JA -> {
                boolean gotol = insn.isLongJump();
                if (!insn.usesImmediate() || insn.src() != 0 || insn.dst() != 0
                        || (gotol ? insn.offset() != 0 : insn.imm() != 0)) {
                    throw VerificationFailure.rule(idx, "BPF_JA uses reserved fields");
                }
                yield idx + 1 + insn.displacement();
            }
            case CALL -> {
                call(insn, idx, path.state);
                yield idx + 1;
            }
            case EXIT -> {
                exit(insn, idx, path.state);
                yield -1;
            }
            case JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE -> branch(insn, idx, path);
        };
    }

    private int branch(Instruction insn, int idx, Path path) {
        Successors next = JumpRule.apply(insn, idx, path.state);
        int target = idx + 1 + insn.offset();
        if (next.taken() == null) {
            return idx + 1;
        }
        if (next.fallThrough() == null) {
            return target;
        }
        if (pending.size() >= MAX_PENDING) {
            throw VerificationFailure.rule(idx, "The sequence of %d jumps is too complex.", pending.size());
        }
        Checkpoints.fork(path.last);
        pending.push(new Path(target, next.taken(), path.last));
        return idx + 1;
    }

    private void call(Instruction insn, int idx, VerifierState state) {
        int src = insn.src();
        boolean known = src == Opcode.CALL_HELPER || src == Opcode.CALL_LOCAL || src == Opcode.CALL_KFUNC;
        if (!insn.usesImmediate() || (src != Opcode.CALL_KFUNC && insn.offset() != 0) || !known
                || insn.dst() != 0) {
            throw VerificationFailure.rule(idx, "BPF_CALL uses reserved fields");
        }
        switch (src) {
            case Opcode.CALL_LOCAL -> throw VerificationFailure.unsupported(idx, "bpf-to-bpf calls");
            case Opcode.CALL_KFUNC -> throw VerificationFailure.unsupported(idx, "kfunc calls");
            default -> HelperCall.apply(insn.imm32(), idx, state, options, context, ids);
        }
    }

    /**
     * The main program's exit: R0 must hold the return value. Program types whose return values the kernel
     * restricts are refused before the walk, so any value is fine here.
     */
    private static void exit(Instruction insn, int idx, VerifierState state) {
        if (!insn.usesImmediate() || insn.imm() != 0 || insn.src() != 0 || insn.dst() != 0) {
            throw VerificationFailure.rule(idx, "BPF_EXIT uses reserved fields");
        }
        References.checkNoLeak(state, "BPF_EXIT instruction in main prog", idx);
        RegisterAccess.read(state.current(), Register.R0.number(), idx);
    }
}
