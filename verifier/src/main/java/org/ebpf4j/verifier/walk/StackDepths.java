package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * The stack each subprogram uses (the kernel's subprog_info[].stack_depth: the deepest byte any walked access of
 * one of its frames reached) and, once the walk has accepted every path, check_max_stack_depth: along every chain
 * of calls (and callback references) from the main program, at most {@link Limits#MAX_CALL_FRAMES} frames, and
 * frames that together use at most {@link Limits#MAX_BPF_STACK} bytes, each rounded up as the JIT rounds it.
 */
final class StackDepths {
    /** round_up_stack_depth with the JIT requested (bpf_jit_enable, as on the kernels the corpus comes from). */
    private static final int JIT_STACK_ALIGN = 16;
    /** BPF_PRIV_STACK_MIN_SIZE: tracing programs' subprograms this deep get a private stack of their own. */
    private static final int PRIV_STACK_MIN_SIZE = 64;
    /** A tail call from a subprogram is refused where the frames below it use this much or more. */
    private static final int TAIL_CALL_STACK_LIMIT = 256;

    private final int[] depths;

    StackDepths(int subprogCount) {
        depths = new int[subprogCount];
    }

    /** The stack {@code subprog} uses: the deepest byte below its frame pointer that any walked access reached. */
    int of(int subprog) {
        return depths[subprog];
    }

    /** A frame's accesses count for its subprogram (a frame that returns, or a path that ends). */
    void record(FrameState frame) {
        depths[frame.subprog()] = Math.max(depths[frame.subprog()], frame.allocatedStack());
    }

    void record(VerifierState state) {
        for (int f = 0; f < state.frameCount(); f++) {
            record(state.frame(f));
        }
    }

    /** check_max_stack_depth over the structure: calls and function references in each subprogram. */
    void check(Instructions program, Subprograms subprograms, int programType) {
        boolean privateStacks = usesPrivateStacks(programType);
        for (int s = 0; s < subprograms.count() && privateStacks; s++) {
            // A tail call anywhere keeps every frame on the one kernel stack.
            privateStacks = !hasTailCall(program, subprograms, s);
        }
        int[] retInsn = new int[Limits.MAX_CALL_FRAMES];
        int[] retProg = new int[Limits.MAX_CALL_FRAMES];
        boolean[] privateStack = new boolean[subprograms.count()];
        int depth = 0;
        int frame = 0;
        int idx = 0;
        int i = subprograms.start(0);
        boolean entering = true;
        while (true) {
            if (entering) {
                if (idx != 0 && hasTailCall(program, subprograms, idx) && depth >= TAIL_CALL_STACK_LIMIT) {
                    throw VerificationFailure.rule(-1,
                            "tail_calls are not allowed when call stack of previous frames is %d bytes. Too large",
                            depth);
                }
                int own = roundUp(depths[idx]);
                privateStack[idx] = privateStacks && own >= PRIV_STACK_MIN_SIZE;
                if (privateStack[idx]) {
                    if (own > Limits.MAX_BPF_STACK) {
                        throw VerificationFailure.rule(-1, "stack size of subprog %d is %d. Too large", idx, own);
                    }
                } else {
                    depth += own;
                    if (depth > Limits.MAX_BPF_STACK) {
                        throw VerificationFailure.rule(-1, "combined stack size of %d calls is %d. Too large",
                                frame + 1, depth);
                    }
                }
            }
            entering = false;
            int end = subprograms.end(idx);
            int callee = -1;
            for (; i < end; i++) {
                Instruction insn = program.startsInstruction(i) ? program.at(i) : null;
                if (insn != null && (insn.isLocalCall() || isFunctionAddress(insn))) {
                    callee = i;
                    break;
                }
            }
            if (callee >= 0) {
                retInsn[frame] = callee + 1;
                retProg[frame] = idx;
                int target = callee + 1 + program.at(callee).imm32();
                idx = subprograms.startingAt(target);
                i = target;
                frame++;
                if (frame >= Limits.MAX_CALL_FRAMES) {
                    throw VerificationFailure.rule(-1, "the call stack of %d frames is too deep !", frame);
                }
                entering = true;
                continue;
            }
            if (frame == 0) {
                return;
            }
            if (!privateStack[idx]) {
                depth -= roundUp(depths[idx]);
            }
            frame--;
            i = retInsn[frame];
            idx = retProg[frame];
        }
    }

    private static boolean isFunctionAddress(Instruction insn) {
        return insn.isLddw() && insn.src() == Opcode.PSEUDO_FUNC;
    }

    private static int roundUp(int depth) {
        return (depth + JIT_STACK_ALIGN - 1) / JIT_STACK_ALIGN * JIT_STACK_ALIGN;
    }

    /** bpf_enable_priv_stack: the tracing types that run without a trampoline, on a JIT that supports it (x86-64). */
    private static boolean usesPrivateStacks(int programType) {
        return programType == ProgramType.KPROBE.value() || programType == ProgramType.TRACEPOINT.value()
                || programType == ProgramType.PERF_EVENT.value() || programType == ProgramType.RAW_TRACEPOINT.value();
    }

    private static boolean hasTailCall(Instructions program, Subprograms subprograms, int subprog) {
        for (int i = subprograms.start(subprog); i < subprograms.end(subprog); i++) {
            if (program.startsInstruction(i)) {
                Instruction insn = program.at(i);
                if (Opcode.isJump(insn.opcode()) && insn.isHelperCall()
                        && insn.imm32() == HelperFunction.TAIL_CALL.value()) {
                    return true;
                }
            }
        }
        return false;
    }
}
