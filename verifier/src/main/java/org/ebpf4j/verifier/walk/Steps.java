package org.ebpf4j.verifier.walk;

import java.util.Arrays;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/** Builds the {@link Step} of an instruction from the state before it: what backtracking cannot see in the code. */
final class Steps {
    private Steps() {}

    static Step of(int idx, Instruction insn, VerifierState state, Step prev) {
        FrameState frame = state.current();
        int f = state.frameCount() - 1;
        int stackFrame = Step.NONE;
        int stackSlot = Step.NONE;
        int[] linked = null;
        switch (insn.opClass()) {
            case LDX, ST, STX -> {
                int base = insn.opClass() == org.ebpf4j.isa.OpClass.LDX ? insn.src() : insn.dst();
                if (base < Register.COUNT && frame.reg(base) instanceof PtrToStack p) {
                    stackFrame = p.frame();
                    stackSlot = slot(p, insn.offset());
                }
            }
            case JMP, JMP32 -> linked = linked(insn, state);
            default -> { }
        }
        boolean leavesCallback = insn.isExit() && f > 0 && frame.callback() != null;
        return new Step(idx, f, stackFrame, stackSlot, linked, leavesCallback, prev);
    }

    /** The slot a stack access starts in, or NONE where its offset is variable or outside the stack. */
    static int slot(PtrToStack p, int insnOff) {
        if (!p.varOff().isConst()) {
            return Step.NONE;
        }
        long off = p.off() + p.varOff().bits().value() + insnOff;
        return off < -Limits.MAX_BPF_STACK || off >= 0 ? Step.NONE : FrameState.slotIndex((int) off);
    }

    /** The numbers sharing an id with a conditional jump's operands, in every frame, registers and spills. */
    private static int[] linked(Instruction insn, VerifierState state) {
        // Malformed register numbers are refused when the jump runs.
        if (!insn.hasBranchTarget() || JumpOp.of(insn.opcode()) == JumpOp.JA || insn.dst() >= Register.COUNT) {
            return null;
        }
        FrameState frame = state.current();
        int dstId = id(frame.reg(insn.dst()));
        int srcId = insn.usesImmediate() || insn.src() >= Register.COUNT ? 0 : id(frame.reg(insn.src()));
        if (dstId == 0 && srcId == 0) {
            return null;
        }
        int[] found = new int[16];
        int n = 0;
        for (int f = 0; f < state.frameCount(); f++) {
            FrameState fs = state.frame(f);
            for (int r = 0; r < Register.COUNT; r++) {
                int id = id(fs.reg(r));
                if (id != 0 && (id == dstId || id == srcId)) {
                    found = grow(found, n);
                    found[n++] = Step.register(f, r);
                }
            }
            for (int s = 0; s < FrameState.SLOTS; s++) {
                int id = fs.slot(s).isSpill() ? id(fs.slot(s).spilled()) : 0;
                if (id != 0 && (id == dstId || id == srcId)) {
                    found = grow(found, n);
                    found[n++] = Step.slot(f, s);
                }
            }
        }
        return Arrays.copyOf(found, n);
    }

    private static int[] grow(int[] a, int n) {
        return n < a.length ? a : Arrays.copyOf(a, a.length * 2);
    }

    private static int id(RegisterType reg) {
        return reg instanceof ScalarValue s ? s.id() : 0;
    }
}
