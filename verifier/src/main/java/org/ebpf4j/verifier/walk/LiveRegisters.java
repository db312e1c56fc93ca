package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;

/**
 * Which registers each instruction may read before they are written again, on some path from it (the kernel's
 * compute_live_registers, a static backward data-flow analysis over the control-flow graph, followed here instead
 * of the older REG_LIVE_READ marks because it is complete before the walk starts). A register outside an
 * instruction's live set cannot influence anything from there, so pruning ignores it. Where an instruction's effect
 * is not worth modelling exactly, it is assumed to read more and write less, which only keeps more registers live.
 *
 * <p>A call reads r1-r5 and writes r0-r5 in the caller's frame; the callee's body belongs to its own frame. For a
 * caller frame, the live set at its call instruction holds what the rest of the caller may read after the return.
 */
final class LiveRegisters {
    private static final int CALLER_SAVED = mask(0, 1, 2, 3, 4, 5);
    private static final int ARGUMENTS = mask(1, 2, 3, 4, 5);
    private static final int ALL = (1 << Register.COUNT) - 1;

    private final int[] liveIn;

    private LiveRegisters(int[] liveIn) {
        this.liveIn = liveIn;
    }

    /** Registers live before the instruction at {@code slot}, one bit per register. */
    int before(int slot) {
        return liveIn[slot];
    }

    static LiveRegisters of(Instructions program) {
        int slots = program.slotCount();
        int[] use = new int[slots];
        int[] def = new int[slots];
        int[][] successors = new int[slots][];
        for (int slot = 0; slot < slots; slot++) {
            if (program.startsInstruction(slot)) {
                Instruction insn = program.at(slot);
                use[slot] = uses(insn);
                def[slot] = defines(insn);
                successors[slot] = successors(insn, slot, slots);
            }
        }
        int[] live = new int[slots];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int slot = slots - 1; slot >= 0; slot--) {
                if (successors[slot] == null) {
                    continue;
                }
                int out = 0;
                for (int next : successors[slot]) {
                    out |= live[next];
                }
                // Malformed register numbers are refused by the walk; masked here so the analysis stays finite.
                int in = (use[slot] | (out & ~def[slot])) & ALL;
                if (in != live[slot]) {
                    live[slot] = in;
                    changed = true;
                }
            }
        }
        return new LiveRegisters(live);
    }

    /** The instructions control may reach next within the instruction's frame (a call continues after itself). */
    static int[] successors(Instruction insn, int slot, int slots) {
        int next = slot + insn.slots();
        if (insn.isExit()) {
            return new int[0];
        }
        if (Opcode.isJump(insn.opcode()) && !insn.isLocalCall() && insn.hasBranchTarget()) {
            int target = slot + 1 + insn.displacement();
            boolean inside = target >= 0 && target < slots;
            if (JumpOp.of(insn.opcode()) == JumpOp.JA) {
                return inside ? new int[] {target} : new int[0];
            }
            return inside && next < slots ? new int[] {next, target} : inside ? new int[] {target}
                    : next < slots ? new int[] {next} : new int[0];
        }
        return next < slots ? new int[] {next} : new int[0];
    }

    private static int uses(Instruction insn) {
        int dst = 1 << insn.dst();
        int src = insn.src() < Register.COUNT ? 1 << insn.src() : 0;
        return switch (insn.opClass()) {
            case ALU, ALU64 -> switch (Opcode.code(insn.opcode())) {
                case Opcode.MOV -> insn.usesImmediate() ? 0 : src;
                case Opcode.NEG, Opcode.END -> dst;
                default -> dst | (insn.usesImmediate() ? 0 : src);
            };
            case LDX -> src;
            case ST -> dst;
            // Atomics also read r0 (cmpxchg); assumed for every one.
            case STX -> dst | src | (Mode.of(insn.opcode()) == Mode.ATOMIC ? 1 : 0);
            // lddw reads nothing; legacy packet loads (refused by the walk) are assumed to read everything.
            case LD -> insn.isLddw() ? 0 : ALL;
            case JMP, JMP32 -> {
                int code = Opcode.code(insn.opcode());
                if (code == Opcode.CALL) {
                    yield ARGUMENTS;
                }
                if (code == Opcode.EXIT) {
                    yield 1;
                }
                if (JumpOp.of(insn.opcode()) == JumpOp.JA) {
                    yield 0;
                }
                yield dst | (insn.usesImmediate() ? 0 : src);
            }
        };
    }

    private static int defines(Instruction insn) {
        return switch (insn.opClass()) {
            case ALU, ALU64, LDX -> 1 << insn.dst();
            case LD -> insn.isLddw() ? 1 << insn.dst() : 0;
            // A fetching atomic writes a register too; not counting it keeps more live, never less.
            case ST, STX -> 0;
            case JMP, JMP32 -> Opcode.code(insn.opcode()) == Opcode.CALL ? CALLER_SAVED : 0;
        };
    }

    private static int mask(int... regs) {
        int m = 0;
        for (int r : regs) {
            m |= 1 << r;
        }
        return m;
    }
}
