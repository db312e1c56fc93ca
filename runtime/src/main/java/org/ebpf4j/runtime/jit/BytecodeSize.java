package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.verifier.facts.AccessFact;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;

/**
 * Upper bounds of the JVM bytecode that {@link MethodEmitter} writes for an instruction, so that methods can be
 * planned under HotSpot's 8000-byte limit before they are emitted. Generous on purpose: the sizes of the real
 * methods are checked after emission, and a plan that still overflows is redone with a smaller budget.
 */
final class BytecodeSize {
    /** Prologue and epilogue of a chunk method: 11 register loads and stores, the entry switch header. */
    static final int CHUNK_OVERHEAD = 220;
    /** A switch case for an entry from another chunk and the stub that leaves for one: per branch. */
    private static final int CROSSING = 12;
    /** The exit of a counted loop a jump may leave through: the counter widened into its register, then a goto. */
    private static final int LOOP_EXIT = 8;
    /** A latch that counts its loop's iterations: {@code iinc; iload; ldc; if_icmplt; iconst_0; istore}. */
    private static final int ITERATION_COUNT = 16;
    /** The blinded form of an immediate: {@code ldc2_w; getstatic; lxor} instead of {@code ldc2_w}. */
    private static final int BLINDING = 4;

    private final int subprogramCount;
    private final boolean blinding;
    private final boolean countsBackwardJumps;
    private final AccessFacts facts;

    BytecodeSize(int subprogramCount, boolean blinding, boolean countsBackwardJumps, AccessFacts facts) {
        this.subprogramCount = subprogramCount;
        this.blinding = blinding;
        this.countsBackwardJumps = countsBackwardJumps;
        this.facts = facts;
    }

    /** The instruction at {@code slot}. */
    int of(int slot, Instruction insn) {
        int op = insn.opcode();
        int immediate = blinding ? BLINDING : 0;
        AccessFact fact = facts.at(slot);
        return switch (opClass(op)) {
            // ALU's forms narrow both operands and widen the result by a call.
            case ALU64 -> 12 + immediate;
            case ALU -> 16 + immediate;
            case LDX, ST, STX -> memory(fact, sizeBytes(op)) + immediate;
            case LD -> (insn.isLddw() ? 6 : 18) + immediate;
            default -> jump(insn, immediate);
        };
    }

    /**
     * An in-frame access pushes the array, its index and the size; another direct stack access pushes the array and
     * its index besides the generic path's arguments.
     */
    private static int memory(AccessFact fact, int size) {
        if (FramePointerAccesses.withinFrame(fact, size)) {
            return 20;
        }
        return fact.direct() && fact.kind() == PointerKind.STACK ? 40 : 24;
    }

    private int jump(Instruction insn, int immediate) {
        int op = insn.opcode();
        if (insn.isLocalCall()) {
            return 70;
        }
        if (op == (JMP | CALL)) {
            return 40;
        }
        if (op == (JMP | CALL | X)) {
            return 100 + 96 * subprogramCount;
        }
        if (insn.isExit()) {
            return 36;
        }
        // Two operands (an lload, an ldc2_w or a blinded immediate, l2i for JMP32), the compare (up to an
        // invokestatic), the branch, and for a backward jump the goto after it.
        // Counting backward jumps calls the run; otherwise a backward latch may count its loop's iterations.
        int counting = countsBackwardJumps ? 12 : insn.displacement() < 0 ? ITERATION_COUNT : 0;
        return 26 + immediate + CROSSING + LOOP_EXIT + counting;
    }
}
