package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;

/**
 * What the kernel's log shows after an instruction: the registers it reads or writes and the stack slot it
 * reaches (the kernel's scratch marks, set by check_reg_arg and the stack accesses). Derived from the instruction
 * and the state before it; stack bytes that helpers write through pointer arguments are not included.
 *
 * @param registers bit {@code r} for register {@code r}
 * @param slot the stack slot of the instruction's own frame it accesses, or -1
 */
record Scratch(int registers, int slot) {
    static final int NO_SLOT = -1;
    /** Every register and slot: a path's or a frame's first state. */
    static final Scratch ALL = new Scratch(-1, NO_SLOT);
    static final Scratch NONE = new Scratch(0, NO_SLOT);
    /** r0 to r5: a helper's or global function's result and the caller-saved registers it clobbers. */
    private static final int CALL_CLOBBERED = (1 << (Register.R5.number() + 1)) - 1;

    boolean isEmpty() {
        return registers == 0 && slot == NO_SLOT;
    }

    static Scratch of(Instruction insn, FrameState before) {
        int dst = 1 << insn.dst();
        int src = 1 << insn.src();
        return switch (insn.opClass()) {
            case ALU, ALU64 -> {
                AluOp op = AluOp.of(insn.opcode());
                boolean readsSrc = !insn.usesImmediate() && op != null && op != AluOp.NEG && op != AluOp.END;
                yield new Scratch(readsSrc ? dst | src : dst, NO_SLOT);
            }
            case LDX -> new Scratch(dst | src, stackSlot(before, insn.src(), insn.offset()));
            case ST -> new Scratch(dst, stackSlot(before, insn.dst(), insn.offset()));
            case STX -> {
                boolean cmpxchg = Mode.of(insn.opcode()) == Mode.ATOMIC && AtomicOp.of(insn.imm32()) == AtomicOp.CMPXCHG;
                yield new Scratch(dst | src | (cmpxchg ? 1 : 0), stackSlot(before, insn.dst(), insn.offset()));
            }
            case LD -> new Scratch(dst, NO_SLOT);
            case JMP, JMP32 -> {
                JumpOp op = JumpOp.of(insn.opcode());
                if (op == null || op == JumpOp.JA || op == JumpOp.EXIT) {
                    yield NONE;
                }
                if (op == JumpOp.CALL) {
                    yield new Scratch(CALL_CLOBBERED, NO_SLOT);
                }
                yield new Scratch(insn.usesImmediate() ? dst : dst | src, NO_SLOT);
            }
        };
    }

    /** The slot of the access at {@code off} from register {@code base}, when that points into this frame. */
    private static int stackSlot(FrameState before, int base, int off) {
        // Invalid register numbers are refused by the instruction's rule, after this.
        if (base < Register.COUNT && before.reg(base) instanceof RegisterType.PtrToStack p && p.frame() == before.frameNo()
                && p.varOff().isConst()) {
            int at = p.off() + (int) p.varOff().bits().value() + off;
            int slot = FrameState.slotIndex(at);
            return at < 0 && slot < FrameState.SLOTS ? slot : NO_SLOT;
        }
        return NO_SLOT;
    }
}
