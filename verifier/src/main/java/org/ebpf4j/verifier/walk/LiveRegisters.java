package org.ebpf4j.verifier.walk;

import java.util.function.IntUnaryOperator;
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
 * <p>A call writes r0-r5 in the caller's frame and reads its arguments: a helper the ones its prototype declares (the
 * kernel's get_call_summary), any other call r1-r5; the callee's body belongs to its own frame. For a caller frame,
 * the live set at its call instruction holds what the rest of the caller may read after the return.
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

    /** @param helperArguments how many argument registers the helper of an id reads (5 when not known) */
    static LiveRegisters of(Instructions program, IntUnaryOperator helperArguments) {
        int slots = program.slotCount();
        long[] use = new long[slots];
        long[] def = new long[slots];
        for (int slot = 0; slot < slots; slot++) {
            if (program.startsInstruction(slot)) {
                Instruction insn = program.at(slot);
                // Malformed register numbers are refused by the walk; masked here so the analysis stays finite.
                use[slot] = uses(insn, helperArguments) & ALL;
                def[slot] = defines(insn) & ALL;
            }
        }
        long[] live = BackwardDataFlow.liveIn(program, use, def);
        int[] regs = new int[slots];
        for (int slot = 0; slot < slots; slot++) {
            regs[slot] = (int) live[slot];
        }
        return new LiveRegisters(regs);
    }

    /** r1 to r{@code count}. */
    private static int arguments(int count) {
        return ARGUMENTS & ((1 << (count + 1)) - 2);
    }

    private static int uses(Instruction insn, IntUnaryOperator helperArguments) {
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
                    yield insn.isHelperCall() ? arguments(helperArguments.applyAsInt(insn.imm32())) : ARGUMENTS;
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
