package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;

/**
 * One instruction walked back (the kernel's backtrack_insn): given the values needed exactly after it, which were
 * needed before it. A value an instruction computes from registers passes the need to them; a value it loads from
 * memory other than the stack, or a constant, ends it; a spill moves it between a register and a stack slot.
 * Returns false where the instruction's data flow is not followed (variable stack offsets, atomics on needed stack
 * slots, callback arguments): the caller then marks everything precise, as the kernel does.
 */
final class Backtracking {
    private static final int ARGUMENTS = 0b111110;
    private static final int CALLER_SAVED = 0b111111;
    private static final int R0 = Register.R0.number();

    private Backtracking() {}

    static boolean step(Step step, Instruction insn, Demand demand) {
        int f = step.frame();
        if (insn.isExit()) {
            return exit(step, demand);
        }
        if (Opcode.code(insn.opcode()) == Opcode.CALL && Opcode.isJump(insn.opcode()) && demand.frame == f + 1) {
            // Back from the callee's first instruction to the call: its arguments are the caller's r1-r5, except
            // a callback's, which the helper makes.
            int callee = demand.regs[f + 1];
            if (demand.slots[f + 1] != 0 || (callee & ~ARGUMENTS) != 0 || (insn.isHelperCall() && callee != 0)) {
                return false;
            }
            demand.leaveCallee();
            demand.regs[f] |= callee;
            return true;
        }
        if (demand.frame != f) {
            return false;
        }
        return switch (insn.opClass()) {
            case ALU, ALU64 -> {
                alu(insn, f, demand);
                yield true;
            }
            case LDX -> load(step, insn, demand);
            case ST, STX -> Mode.of(insn.opcode()) == Mode.ATOMIC ? atomic(step, insn, demand) : store(step, insn, demand);
            case LD -> {
                demand.clear(f, insn.dst());
                yield insn.isLddw();
            }
            case JMP, JMP32 -> {
                jump(step, insn, demand);
                yield true;
            }
        };
    }

    /** Back from a return into the callee: the caller's r0 is the callee's. */
    private static boolean exit(Step step, Demand demand) {
        int caller = step.frame() - 1;
        if (demand.frame != caller) {
            return false;
        }
        int callerRegs = demand.regs[caller];
        demand.regs[caller] = callerRegs & ~CALLER_SAVED;
        demand.enterCallee();
        if (step.leavesCallback()) {
            // The helper call that follows a callback's exit has already ended the need for r0-r5.
            return (callerRegs & CALLER_SAVED) == 0;
        }
        demand.regs[step.frame()] = callerRegs & 1 << R0;
        return true;
    }

    private static void alu(Instruction insn, int f, Demand demand) {
        int dst = insn.dst();
        switch (Opcode.code(insn.opcode())) {
            case Opcode.MOV -> {
                if (demand.has(f, dst)) {
                    demand.clear(f, dst);
                    if (!insn.usesImmediate()) {
                        demand.set(f, insn.src());
                    }
                }
            }
            case Opcode.NEG, Opcode.END -> { }
            default -> {
                if (demand.has(f, dst) && !insn.usesImmediate()) {
                    demand.set(f, insn.src());
                }
            }
        }
    }

    private static boolean load(Step step, Instruction insn, Demand demand) {
        int f = step.frame();
        if (!demand.has(f, insn.dst())) {
            return true;
        }
        demand.clear(f, insn.dst());
        if (step.stackFrame() == Step.NONE) {
            return true;
        }
        if (step.stackSlot() == Step.NONE) {
            return false;
        }
        // A fill (or a read of zero bytes, whose store then passes the need on).
        demand.setSlot(step.stackFrame(), step.stackSlot());
        return true;
    }

    private static boolean store(Step step, Instruction insn, Demand demand) {
        int sf = step.stackFrame();
        if (sf == Step.NONE) {
            return true;
        }
        boolean fromRegister = Opcode.opClass(insn.opcode()) == Opcode.STX;
        if (step.stackSlot() == Step.NONE) {
            // A store at a variable offset may have written any needed slot, which keeps its older content too.
            if (demand.slots[sf] != 0 && fromRegister) {
                demand.set(step.frame(), insn.src());
            }
            return true;
        }
        if (demand.hasSlot(sf, step.stackSlot())) {
            if (Opcode.sizeBytes(insn.opcode()) == Long.BYTES) {
                demand.clearSlot(sf, step.stackSlot());
            }
            if (fromRegister) {
                demand.set(step.frame(), insn.src());
            }
        }
        return true;
    }

    private static boolean atomic(Step step, Instruction insn, Demand demand) {
        int f = step.frame();
        int sf = step.stackFrame();
        boolean onStack = sf != Step.NONE;
        if (onStack && (step.stackSlot() == Step.NONE ? demand.slots[sf] != 0
                : demand.hasSlot(sf, step.stackSlot()))) {
            return false;
        }
        if ((insn.imm32() & Opcode.FETCH) != 0) {
            int loaded = insn.imm32() == Opcode.CMPXCHG ? R0 : insn.src();
            if (demand.has(f, loaded)) {
                if (onStack) {
                    return false;
                }
                demand.clear(f, loaded);
            }
        }
        return true;
    }

    private static void jump(Step step, Instruction insn, Demand demand) {
        int f = step.frame();
        int code = Opcode.code(insn.opcode());
        if (code == Opcode.CALL) {
            // A helper, kfunc or global function: r0 is its result, r1-r5 are clobbered.
            demand.regs[f] &= ~CALLER_SAVED;
            return;
        }
        if (JumpOp.of(insn.opcode()) == JumpOp.JA) {
            return;
        }
        // A comparison refines both operands and every number linked to them: one needed needs them all.
        boolean needed = demand.has(f, insn.dst()) || (!insn.usesImmediate() && demand.has(f, insn.src()));
        int[] linked = step.linked();
        if (linked != null) {
            for (int location : linked) {
                needed |= demand.hasLocation(location);
            }
        }
        if (!needed) {
            return;
        }
        demand.set(f, insn.dst());
        if (!insn.usesImmediate()) {
            demand.set(f, insn.src());
        }
        if (linked != null) {
            for (int location : linked) {
                demand.setLocation(location);
            }
        }
    }
}
