package org.ebpf4j.verifier.walk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntUnaryOperator;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.LogOptions;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.RegisterType;
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
    private final Subprograms subprograms;
    private final StackDepths stackDepths;
    private final GlobalFunctions globals;
    private final ContextRules context;
    private final VerifierOptions options;
    private final AccessedPointers accessed;
    private final IdGenerator ids = new IdGenerator();
    private final boolean[] prunePoints;
    private final Capabilities caps;
    /** Helper calls that call back into the program: pruned against checkpoints still in progress too. */
    private final boolean[] callbackCalls;
    private final Checkpoints checkpoints;
    private final Precision precision;
    private final WalkLog log;
    private final Deque<Path> pending = new ArrayDeque<>();
    private int processed;
    /** Whether the last conditional jump walked went both ways (the kernel then logs its state at once). */
    private boolean branchForked;
    /** Callback exits walked: a complexity limit reached after any is reported as unsupported (see Callbacks). */
    private int callbackIterations;

    private Walk(Instructions program, Subprograms subprograms, ContextRules context, VerifierOptions options,
                 LogOptions logOptions) {
        this.program = program;
        this.log = WalkLog.of(logOptions, program.slotCount());
        this.subprograms = subprograms;
        this.stackDepths = new StackDepths(subprograms.count());
        this.globals = new GlobalFunctions(options.functions(), subprograms.count());
        this.context = context;
        this.options = options;
        this.accessed = new AccessedPointers(program.slotCount());
        this.prunePoints = PrunePoints.of(program);
        this.caps = new Capabilities(options.privileged());
        this.precision = new Precision(program, options.privileged());
        IntUnaryOperator helperArguments = id -> HelperCall.argumentsRead(id, options);
        this.checkpoints = new Checkpoints(caps, LiveRegisters.of(program, helperArguments),
                StackLiveness.of(program, subprograms, helperArguments), precision);
        this.callbackCalls = PrunePoints.callbackCalls(program);
    }

    /** Walks a structurally checked program; the verdict carries the log {@code logOptions} ask for. */
    public static Verdict run(Instructions program, Subprograms subprograms, ContextRules context,
                              VerifierOptions options, LogOptions logOptions) {
        Walk walk = new Walk(program, subprograms, context, options, logOptions);
        try {
            walk.explore();
            if (!options.privileged()) {
                walk.caps.checkTailCalls();
            }
            walk.stackDepths.check(program, subprograms, options.programType());
            return new Verdict.Accepted(walk.log.finish(null, walk.statistics()), walk.processed,
                    walk.accessed.facts(), walk.log.truncated(), walk.stackDepths.of(0));
        } catch (VerificationFailure thrown) {
            VerificationFailure f = walk.callbackIterations > 0 && isComplexityLimit(thrown)
                    ? VerificationFailure.unsupported(thrown.insn(), "callback iterations that do not converge"
                            + " under ebpf4j's widening, which differs from the kernel's (" + thrown.getMessage() + ")")
                    : thrown;
            String text = walk.log.finish(f.getMessage(), walk.statistics());
            return new Verdict.Rejected(f.getMessage(), f.insn(), f.kind(), text, walk.processed,
                    walk.log.truncated());
        }
    }

    /** The log of a program rejected before its walk: the message, then statistics of nothing walked. */
    public static String logBeforeWalk(String message, LogOptions logOptions) {
        return WalkLog.of(logOptions, 0).finish(message, new WalkLog.Statistics(0, 0, 0, 0));
    }

    /**
     * The statistics line's figures: ebpf4j keeps every checkpoint until the walk ends, so the peak of states
     * held at once is their total (the kernel frees states that stopped being useful).
     */
    private WalkLog.Statistics statistics() {
        return new WalkLog.Statistics(processed, checkpoints.maxPerInsn(), checkpoints.total(), checkpoints.total());
    }

    /** The limits that end walks that do not converge (see {@link Callbacks} for why they matter there). */
    private static boolean isComplexityLimit(VerificationFailure f) {
        return f.kind() == Verdict.Cause.RULE && (f.getMessage().startsWith("BPF program is too large")
                || f.getMessage().startsWith("The sequence of "));
    }

    /** do_check_main, then do_check_subprogs: each global function called on the way, once, on its own. */
    private void explore() {
        log.functionStart(null);
        explore(0, VerifierState.entry());
        log.functionVerified(null);
        for (int s = globals.nextToVerify(); s >= 0; s = globals.nextToVerify()) {
            String name = globals.name(s);
            log.functionStart(String.format("Validating %s() func#%d...", name, s));
            explore(subprograms.start(s), globals.entry(s));
            log.functionVerified(String.format("Func#%d ('%s') is safe for any args that match its prototype", s,
                    name));
        }
    }

    private void explore(int start, VerifierState entry) {
        pending.push(new Path(start, entry, null));
        while (!pending.isEmpty()) {
            Path path = pending.pop();
            log.popped(path);
            follow(path);
        }
    }

    /** Follows one path to its exit or to a checkpoint that covers it, pushing the paths it forks. */
    private void follow(Path path) {
        while (true) {
            if (prunePoints[path.insn] && checkpoints.visit(path, callbackCalls[path.insn])) {
                log.safe(path.insn);
                stackDepths.record(path.state);
                Checkpoints.finish(path.last);
                return;
            }
            if (++processed > Limits.COMPLEXITY_LIMIT_INSNS) {
                throw VerificationFailure.rule(path.insn, "BPF program is too large. Processed %d insn", processed);
            }
            int idx = path.insn;
            Instruction insn = program.at(idx);
            if (precision.enabled()) {
                path.history = Steps.of(idx, insn, path.state, path.history);
            }
            boolean jump = Opcode.isJump(insn.opcode());
            checkpoints.countInstruction(jump);
            Scratch scratch = null;
            int frames = path.state.frameCount();
            if (log.enabled()) {
                scratch = Scratch.of(insn, path.state.current());
                log.before(idx, insn, path.state.current());
            }
            int next;
            try {
                next = jump ? jump(insn, idx, path) : straight(insn, idx, path);
            } catch (VerificationFailure f) {
                throw path.speculative ? SpeculativePaths.failed(f) : f;
            }
            if (scratch != null) {
                logEffects(insn, idx, next, frames, scratch, path.state);
            }
            if (next < 0) {
                stackDepths.record(path.state);
                Checkpoints.finish(path.last);
                return;
            }
            path.insn = next;
        }
    }

    /** What the log shows of an instruction's effects, where the kernel shows them. */
    private void logEffects(Instruction insn, int idx, int next, int framesBefore, Scratch scratch,
                            VerifierState state) {
        if (insn.isExit() && framesBefore > 1) {
            log.returned(idx, next, state.current());
        } else if (insn.isLocalCall() && state.frameCount() > framesBefore) {
            log.after(Scratch.ALL);
        } else if (branchForked) {
            log.now(idx, scratch, state.current());
        } else {
            log.after(scratch);
        }
        branchForked = false;
    }

    /** Instructions that continue with the next one. */
    private int straight(Instruction insn, int idx, Path path) {
        VerifierState state = path.state;
        FrameState frame = state.current();
        switch (insn.opClass()) {
            case ALU, ALU64 -> {
                markPointerOffset(insn, path);
                VerifierState before = caps.privileged() ? null : SpeculativePaths.beforeArithmetic(insn, state);
                AluRule.apply(insn, idx, frame, ids, caps);
                AluSanitation.Simulation simulation = caps.sanitation().takeSimulation();
                if (before != null && simulation != AluSanitation.Simulation.NONE) {
                    speculate(idx + 1, SpeculativePaths.unmoved(insn, before, simulation), path);
                }
            }
            case LDX -> MemoryRule.load(insn, idx, state, context, accessed, caps);
            case ST -> MemoryRule.store(insn, idx, state, context, accessed, ids, caps);
            case STX -> {
                if (Mode.of(insn.opcode()) == Mode.ATOMIC) {
                    MemoryRule.atomic(insn, idx, state, caps, accessed);
                } else {
                    MemoryRule.store(insn, idx, state, context, accessed, ids, caps);
                }
            }
            case LD -> loadImmediate(insn, idx, frame);
            case JMP, JMP32 -> throw new IllegalStateException("jumps are handled apart");
        }
        return idx + insn.slots();
    }

    /** Pointer arithmetic depends on the exact number added (adjust_reg_min_max_vals marks it precise). */
    private void markPointerOffset(Instruction insn, Path path) {
        if (insn.usesImmediate() || insn.src() >= Register.COUNT || insn.dst() >= Register.COUNT
                || Opcode.code(insn.opcode()) == Opcode.MOV) {
            return;
        }
        RegisterType dst = path.state.current().reg(insn.dst());
        RegisterType src = path.state.current().reg(insn.src());
        if (dst.isPointer() && src instanceof ScalarValue) {
            precision.register(path, insn.src());
        } else if (src.isPointer() && dst instanceof ScalarValue) {
            precision.register(path, insn.dst());
        }
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
            case Opcode.PSEUDO_FUNC -> {
                if (options.functions().isEmpty()) {
                    throw VerificationFailure.rule(idx, "missing btf func_info");
                }
                int subprog = subprograms.startingAt(idx + 1 + insn.imm32());
                if (globals.isGlobal(subprog)) {
                    throw VerificationFailure.rule(idx, "callback function not static");
                }
                frame.setReg(insn.dst(), new RegisterType.PtrToFunc(subprog));
            }
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
                yield insn.branchTarget(idx);
            }
            case CALL -> call(insn, idx, path);
            case EXIT -> exit(insn, idx, path);
            case JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE -> branch(insn, idx, path);
        };
    }

    private int branch(Instruction insn, int idx, Path path) {
        VerifierState before = caps.privileged() ? null : path.state.copy();
        boolean dstNumber = isNumber(path, insn.dst());
        boolean srcNumber = !insn.usesImmediate() && isNumber(path, insn.src());
        boolean srcPointer = !insn.usesImmediate() && !srcNumber;
        Successors next = JumpRule.apply(insn, idx, path.state, caps);
        int target = idx + 1 + insn.offset();
        // A decided branch depends on its numbers (check_cond_jmp_op); so does a pointer compared with a number.
        boolean decided = next.taken() == null || next.fallThrough() == null;
        if (dstNumber && (decided || srcPointer)) {
            precision.register(path, insn.dst());
        }
        if (srcNumber && (decided || !dstNumber)) {
            precision.register(path, insn.src());
        }
        if (next.taken() == null) {
            if (before != null) {
                speculate(target, SpeculativePaths.mispredicted(insn, before), path);
            }
            return idx + 1;
        }
        if (next.fallThrough() == null) {
            if (before != null) {
                speculate(idx + 1, SpeculativePaths.mispredicted(insn, before), path);
            }
            return target;
        }
        fork(path.fork(target, next.taken(), path.speculative), idx);
        branchForked = true;
        return idx + 1;
    }

    private static boolean isNumber(Path path, int reg) {
        return reg < Register.COUNT && path.state.current().reg(reg) instanceof ScalarValue;
    }

    /** A speculative path to walk later (sanitize_speculative_path's push_stack). */
    private void speculate(int insn, VerifierState state, Path from) {
        fork(from.fork(insn, state, true), insn);
    }

    /** A path to explore later, below the same checkpoint as the one that forks it. */
    private void fork(Path forked, int idx) {
        if (pending.size() >= MAX_PENDING) {
            throw VerificationFailure.rule(idx, "The sequence of %d jumps is too complex.", pending.size());
        }
        Checkpoints.fork(forked.last);
        log.forked(forked);
        pending.push(forked);
    }

    /** A call; returns the next instruction: the callee's first, or the one after a helper call. */
    private int call(Instruction insn, int idx, Path path) {
        VerifierState state = path.state;
        int src = insn.src();
        boolean known = src == Opcode.CALL_HELPER || src == Opcode.CALL_LOCAL || src == Opcode.CALL_KFUNC;
        if (!insn.usesImmediate() || (src != Opcode.CALL_KFUNC && insn.offset() != 0) || !known
                || insn.dst() != 0) {
            throw VerificationFailure.rule(idx, "BPF_CALL uses reserved fields");
        }
        return switch (src) {
            case Opcode.CALL_LOCAL -> BpfCall.enter(insn, idx, state, subprograms, globals, log);
            case Opcode.CALL_KFUNC -> throw VerificationFailure.unsupported(idx, "kfunc calls");
            default -> {
                if (!caps.privileged() && insn.imm32() == HelperFunction.TAIL_CALL.value()
                        && state.current().reg(2) instanceof ConstPtrToMap m) {
                    caps.recordTailCall(idx, m.map());
                }
                markHelperArguments(path);
                VerifierState callback = HelperCall.apply(insn.imm32(), idx, state, options, context, ids);
                if (callback != null) {
                    // The callback is explored later, below the same checkpoint, as a forked path.
                    fork(path.fork(subprograms.start(callback.current().subprog()), callback, false), idx);
                }
                yield idx + 1;
            }
        };
    }

    /**
     * The helper's checks and results may depend on any number among its arguments (sizes, the bpf_loop count,
     * the tail call index) and on a constant map key on the stack (get_constant_map_key, r2 after a map in r1):
     * they become precise, more than the kernel marks, which only prunes less.
     */
    private void markHelperArguments(Path path) {
        FrameState frame = path.state.current();
        for (int r = Register.R1.number(); r <= Register.R5.number(); r++) {
            if (frame.reg(r) instanceof ScalarValue) {
                precision.register(path, r);
            }
        }
        if (frame.reg(Register.R1.number()) instanceof ConstPtrToMap
                && frame.reg(Register.R2.number()) instanceof RegisterType.PtrToStack key
                && Steps.slot(key, 0) != Step.NONE) {
            precision.slot(path, key.frame(), Steps.slot(key, 0));
        }
    }

    /**
     * An exit: from a called subprogram, back to its caller (the next instruction); from the main program or a
     * global function verified on its own, the end of the path (-1), where R0 must hold the return value: a
     * number unless the loader may see addresses, in the program type's range ({@link ReturnCode}) for the main
     * program.
     */
    private int exit(Instruction insn, int idx, Path path) {
        VerifierState state = path.state;
        if (!insn.usesImmediate() || insn.imm() != 0 || insn.src() != 0 || insn.dst() != 0) {
            throw VerificationFailure.rule(idx, "BPF_EXIT uses reserved fields");
        }
        boolean checksRange = state.frameCount() > 1 ? state.current().callback() != null
                : state.current().subprog() == 0 && context.returnRange().isPresent();
        if (checksRange && isNumber(path, Register.R0.number())) {
            // check_return_code and the callback's return range depend on r0's exact range.
            precision.register(path, Register.R0.number());
        }
        if (state.frameCount() > 1) {
            boolean callback = state.current().callback() != null;
            callbackIterations += callback ? 1 : 0;
            int next = BpfCall.exit(idx, state, stackDepths, log);
            if (callback && precision.enabled()) {
                Widening.afterCallback(path, next);
            }
            return next;
        }
        References.checkNoLeak(state, "BPF_EXIT instruction in main prog", idx);
        if (state.current().subprog() != 0) {
            GlobalFunctions.checkExit(state.current(), idx);
        } else {
            PointerLeaks.checkReturn(caps, RegisterAccess.read(state.current(), Register.R0.number(), idx), idx);
            context.returnRange().ifPresent(range -> ReturnCode.check(state.current(), range, idx));
        }
        return -1;
    }
}
