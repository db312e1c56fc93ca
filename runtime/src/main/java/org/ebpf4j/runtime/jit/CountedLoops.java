package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The loops whose counter the JIT keeps in an int local instead of its register's long, so that C2 sees a counted
 * loop (an int induction variable with a constant stride, tested against an invariant limit), which it unrolls,
 * and whose safepoint poll it moves out of the body. clang's {@code for (int i = 0; i < N; i++)} over a buffer
 * becomes such a loop, with the counter in a 64-bit register and a 32- or 64-bit test.
 *
 * <p>The int is exact because the counter provably stays in {@code [0, Integer.MAX_VALUE]} inside the loop, from
 * the instructions alone (no verifier fact): it is set to a constant C right before the loop, the only instruction
 * of the loop that writes it adds 1, and the loop's one backward jump, its last instruction, continues while the
 * counter is below (or not equal to, or at most) a constant K. Nothing enters the loop but its fall-through, and the
 * loop holds no other backward jump, so the increment runs at most once between two tests: starting from C and
 * leaving at K (or K + 1), the counter never passes K + 1, which the conditions below keep within an int.
 */
final class CountedLoops {
    /**
     * A loop from {@code header} to the backward jump at {@code latch}, counted by register {@code register}, which
     * only the instruction at {@code increment} writes inside it.
     */
    record Loop(int header, int latch, int register, int increment) {
        boolean contains(int slot) {
            return slot >= header && slot <= latch;
        }
    }

    /**
     * Longer loops are left alone: no method holds one (methods are planned at a few thousand bytes, several per
     * instruction), and the bound keeps the search linear in the program's size.
     */
    static final int MAX_SLOTS = 2048;

    private final Instructions program;
    private final int start;
    /** The subprogram's instruction starts, and each slot's index among them (-1 inside an lddw). */
    private final int[] slots;
    private final int[] indexOf;
    /** Per slot: the lowest and highest slot of a jump that lands there (MAX_VALUE and -1 when none does). */
    private final int[] lowestSource;
    private final int[] highestSource;

    private CountedLoops(Instructions program, int start, int end) {
        this.program = program;
        this.start = start;
        this.indexOf = new int[end - start + 1];
        this.lowestSource = new int[end - start + 1];
        this.highestSource = new int[end - start + 1];
        Arrays.fill(indexOf, -1);
        Arrays.fill(lowestSource, Integer.MAX_VALUE);
        Arrays.fill(highestSource, -1);
        List<Integer> starts = new ArrayList<>();
        for (int slot = start; slot < end; slot += program.at(slot).slots()) {
            indexOf[slot - start] = starts.size();
            starts.add(slot);
            Instruction insn = program.at(slot);
            if (insn.isBranch()) {
                int target = insn.branchTarget(slot);
                if (target >= start && target <= end) {
                    lowestSource[target - start] = Math.min(lowestSource[target - start], slot);
                    highestSource[target - start] = Math.max(highestSource[target - start], slot);
                }
            }
        }
        this.slots = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The counted loops of the subprogram at {@code start} (inclusive) to {@code end} (exclusive), by header. */
    static List<Loop> in(Instructions program, int start, int end) {
        CountedLoops search = new CountedLoops(program, start, end);
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < search.slots.length; i++) {
            Loop loop = search.countedLoop(i);
            if (loop != null) {
                loops.add(loop);
            }
        }
        return loops;
    }

    /** The loop whose backward jump is instruction {@code latchIndex}, if it is counted. */
    private Loop countedLoop(int latchIndex) {
        int latch = slots[latchIndex];
        Instruction jump = program.at(latch);
        int op = jump.opcode();
        if (!(opClass(op) == JMP || opClass(op) == JMP32) || source(op) != K || !continuesUpward(code(op))
                || jump.offset() >= 0 || -jump.offset() > MAX_SLOTS || jump.dst() == 10) {
            return null;
        }
        int header = jump.branchTarget(latch);
        if (header <= start || indexOf[header - start] < 0) {
            return null;
        }
        int headerIndex = indexOf[header - start];
        Instruction before = program.at(slots[headerIndex - 1]);
        if (before.isExit() || MethodEmitter.isGoto(before.opcode())) {
            return null;
        }
        int counter = jump.dst();
        int increment = -1;
        for (int i = headerIndex; i <= latchIndex; i++) {
            int slot = slots[i];
            // Whatever jumps into the loop must jump from inside it.
            if (lowestSource[slot - start] < header || highestSource[slot - start] > latch) {
                return null;
            }
            if (i == latchIndex) {
                break;
            }
            Instruction insn = program.at(slot);
            if (insn.isBranch() && insn.displacement() < 0) {
                return null;
            }
            if ((SplitPlan.writes(insn) & 1 << counter) != 0) {
                if (increment >= 0 || !isIncrement(insn, counter)) {
                    return null;
                }
                increment = slot;
            }
        }
        Long first = valueOnEntry(headerIndex, counter);
        if (increment < 0 || first == null) {
            return null;
        }
        long limit = jump.imm32();
        // JNE leaves at K, so it must start below it; the orders may run once past K (from K, or up to K + 1).
        boolean startsBelow = code(op) == JNE ? first < limit : first <= limit;
        long highest = code(op) == JNE ? limit : limit + 1;
        if (!startsBelow || first < 0 || limit < 0 || highest > Integer.MAX_VALUE) {
            return null;
        }
        return new Loop(header, latch, counter, increment);
    }

    /**
     * Tests that continue the loop while the counter is below the limit: with both in {@code [0, 2^31)}, signed and
     * unsigned, 32- and 64-bit forms agree.
     */
    private static boolean continuesUpward(int jump) {
        return jump == JNE || jump == JLT || jump == JSLT || jump == JLE || jump == JSLE;
    }

    /** {@code r += 1} or {@code w += 1}: below 2^31 - 1, both add one. */
    private static boolean isIncrement(Instruction insn, int register) {
        int op = insn.opcode();
        return (opClass(op) == ALU64 || opClass(op) == ALU) && code(op) == ADD && source(op) == K
                && insn.offset() == 0 && insn.dst() == register && insn.imm32() == 1;
    }

    /**
     * The constant the counter holds when the loop is entered: a move of an immediate into it, followed by straight
     * code into the header that neither writes it nor is the target of a jump. Null when that is not so.
     */
    private Long valueOnEntry(int headerIndex, int counter) {
        for (int i = headerIndex - 1; i >= 0 && headerIndex - i <= MAX_SLOTS; i--) {
            int slot = slots[i];
            Instruction insn = program.at(slot);
            if (isJump(insn.opcode()) && code(insn.opcode()) != CALL) {
                return null;
            }
            if ((SplitPlan.writes(insn) & 1 << counter) != 0) {
                int op = insn.opcode();
                if ((opClass(op) != ALU64 && opClass(op) != ALU) || code(op) != MOV || source(op) != K
                        || insn.offset() != 0) {
                    return null;
                }
                return opClass(op) == ALU64 ? (long) insn.imm32() : Integer.toUnsignedLong(insn.imm32());
            }
            if (highestSource[slot - start] >= 0) {
                return null;
            }
        }
        return null;
    }
}
