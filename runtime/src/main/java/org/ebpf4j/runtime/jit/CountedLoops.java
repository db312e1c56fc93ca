package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The loops whose counter the JIT keeps in an int local instead of its register's long, so that C2 sees a counted
 * loop (an int induction variable with a constant stride, tested against an invariant limit on the back edge), which
 * it unrolls, and whose safepoint poll it moves out of the body. clang's {@code for (int i = 0; i < N; i++)} becomes
 * such a loop in one of two shapes: the increment, then a test of the counter jumping back to the header; or, when
 * clang rotated the loop (its header after the latch, entered by a goto), a copy of the counter, the increment, and
 * a test of the copy ({@code w4 = w2; r2 += 1; if w4 < 255 goto header}).
 *
 * <p>The int is exact because the counter provably stays in {@code [0, Integer.MAX_VALUE]} inside the loop, from
 * the instructions alone (no verifier fact). The loop is the natural loop of its back edge: the instructions that
 * reach the latch without passing the header. Only the header is entered from outside, from one place, where the
 * counter holds a constant C set by straight code before it; only the latch jumps back to the header, and the loop
 * has no other cycle, so one iteration runs the loop's one write to the counter, an add of 1, at most once. The test
 * continues while the counter (or the copy, one less) is below, at most, or not equal to a constant K, so from C the
 * counter never passes K + 2, which the conditions below keep within an int.
 *
 * <p>A loop that no register counts but that only computes in registers (log2_loop's inner loop shifts a value
 * until it is small) has no induction variable for C2 to count, so it keeps a safepoint poll, and for the poll's
 * debug information the registers it writes as longs. The JIT counts the iterations of such a loop in an int local
 * of its own, which never leaves the loop's bytecode: the latch, when it continues, adds 1 and jumps back while the
 * count is below a bound, or resets it and jumps back all the same. C2 then sees a counted loop left through side
 * exits, whose poll moves out to its strip-mined outer loop and which it unrolls. Loops that access memory or call
 * are left alone: the sieve's inner loop (a store a step), counted so, ran at 0.76 of its former speed, its unrolled
 * copies short of registers.
 */
final class CountedLoops {
    /**
     * A loop from {@code header} to the jump back to it at {@code latch}, counted by register {@code register}, which
     * only the instruction at {@code increment} writes inside it, or by its iterations when the register is {@link
     * #NO_REGISTER} (and the increment and copy -1). The latch tests the counter itself, or when {@code copy} is not
     * -1, the register the instruction at {@code copy} set to the counter before the increment. The loop's
     * instructions are {@code members}, bit {@code i} for slot {@code first + i}.
     */
    record Loop(int header, int latch, int register, int increment, int copy, int first, BitSet members) {
        Loop {
            members = (BitSet) members.clone();
        }

        boolean contains(int slot) {
            return slot >= first && members.get(slot - first);
        }

        /** The loop's instruction slots, in order. */
        IntStream slots() {
            return members.stream().map(bit -> first + bit);
        }

        int lowest() {
            return first + members.nextSetBit(0);
        }

        int highest() {
            return first + members.length() - 1;
        }

        /** Whether the latch tests a copy of the counter, which is then one less than the counter. */
        boolean testsCopy() {
            return copy >= 0;
        }

        /** Whether a register counts the loop; else the JIT counts its iterations in a local of its own. */
        boolean countsRegister() {
            return register != NO_REGISTER;
        }

        @Override
        public BitSet members() {
            return (BitSet) members.clone();
        }
    }

    /**
     * Larger loops are left alone: a method holds a few thousand instructions at most (several bytes of bytecode
     * each), and the bound keeps the loop's instructions within reach of its header.
     */
    static final int MAX_SLOTS = 2048;
    /** The register of a loop that no register counts. */
    static final int NO_REGISTER = -1;

    private final Instructions program;
    private final SubprogramFlow flow;

    private CountedLoops(SubprogramFlow flow) {
        this.program = flow.program();
        this.flow = flow;
    }

    /** The counted loops of the subprogram, by latch; no two share an instruction. Spends the flow's budget. */
    static List<Loop> in(SubprogramFlow flow) {
        CountedLoops search = new CountedLoops(flow);
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < search.flow.instructionCount() && !search.flow.exhausted(); i++) {
            Loop loop = search.countedLoop(i);
            if (loop != null && loops.stream().noneMatch(other -> overlap(loop, other))) {
                loops.add(loop);
            }
        }
        return loops;
    }

    private static boolean overlap(Loop a, Loop b) {
        for (int slot = a.members.nextSetBit(0); slot >= 0; slot = a.members.nextSetBit(slot + 1)) {
            if (b.contains(a.first + slot)) {
                return true;
            }
        }
        return false;
    }

    /** The loop whose jump back to its header is instruction {@code latchIndex}, if it is counted. */
    private Loop countedLoop(int latchIndex) {
        int latch = flow.slotAt(latchIndex);
        Instruction jump = program.at(latch);
        if (!jump.isBranch() || jump.isGoto()) {
            return null;
        }
        int header = jump.branchTarget(latch);
        if (header <= flow.start() || flow.indexOf(header) < 0 || header == flow.next(latch)) {
            return null;
        }
        int op = jump.opcode();
        boolean byRegister = source(op) == K && continuesUpward(code(op)) && jump.dst() != 10;
        int copy = byRegister ? copyTested(latchIndex, jump.dst()) : -1;
        int counter = copy >= 0 ? program.at(copy).src() : jump.dst();
        // Most forward jumps are no latch: only one right after its counter's increment is worth the search.
        if (header > latch && (!byRegister || copy < 0 && !incrementedBefore(latchIndex, counter))) {
            return null;
        }
        int first = Math.max(flow.start(), header - MAX_SLOTS);
        int last = Math.min(flow.end() - 1, header + MAX_SLOTS);
        BitSet members = flow.naturalLoop(header, latch, first, last, MAX_SLOTS);
        if (members == null) {
            return null;
        }
        Loop shape = new Loop(header, latch, NO_REGISTER, -1, -1, first, members);
        if (!onlyLatchReturns(shape) || shape.contains(flow.next(latch))
                || flow.hasInnerCycle(header, first, shape.members)) {
            return null;
        }
        Loop counted = byRegister ? countedBy(shape, counter, copy) : null;
        if (counted != null) {
            return counted;
        }
        return header < latch && computesInRegisters(shape) ? shape : null;
    }

    /** The loop counted by {@code counter} (tested itself, or through the copy at {@code copy}), or null. */
    private Loop countedBy(Loop shape, int counter, int copy) {
        int entry = soleEntry(shape);
        int increment = onlyWrite(shape, counter);
        Long initial = entry < 0 ? null : valueOnEntry(entry, counter);
        if (increment < 0 || initial == null) {
            return null;
        }
        Instruction jump = program.at(shape.latch());
        int op = jump.opcode();
        long limit = jump.imm32();
        // At the latch the counter has gone one past the copy: a test of the copy lets it run one further.
        long overshoot = copy >= 0 ? 1 : 0;
        // JNE leaves at K, so it must start below it; the orders may run once past K (from K, or up to K + 1).
        boolean startsBelow = code(op) == JNE ? initial < limit + overshoot : initial <= limit;
        long highest = (code(op) == JNE ? limit : limit + 1) + overshoot;
        if (!startsBelow || initial < 0 || limit < 0 || highest > Integer.MAX_VALUE) {
            return null;
        }
        return new Loop(shape.header(), shape.latch(), counter, increment, copy, shape.first(), shape.members);
    }

    /** Whether the loop only computes in registers: arithmetic and jumps, no memory access, call or exit. */
    private boolean computesInRegisters(Loop loop) {
        return loop.slots().allMatch(slot -> {
            Instruction insn = program.at(slot);
            return isAlu(insn.opcode()) || insn.isBranch();
        });
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
        return isAlu(op) && code(op) == ADD && source(op) == K
                && insn.offset() == 0 && insn.dst() == register && insn.imm32() == 1;
    }

    /** {@code rX = rY} or {@code wX = wY}, no sign extension: below 2^31, both copy the value. */
    private static boolean isCopy(Instruction insn) {
        int op = insn.opcode();
        return isAlu(op) && code(op) == MOV && source(op) == X
                && insn.offset() == 0 && insn.dst() != insn.src();
    }

    /**
     * The slot of a copy of the counter into {@code tested} that the latch tests: in the straight code right before
     * the latch, a copy {@code tested = counter}, then the counter's increment, and nothing else that writes either
     * register or that a jump lands between. -1 when the latch tests no such copy.
     */
    private int copyTested(int latchIndex, int tested) {
        int incremented = -1;
        int first = straightIntoLatch(latchIndex);
        for (int i = latchIndex - 1; i >= first; i--) {
            int slot = flow.slotAt(i);
            Instruction insn = program.at(slot);
            if (insn.dst() == tested && isCopy(insn)) {
                return insn.src() == incremented ? slot : -1;
            }
            int writes = SplitPlan.writes(insn);
            if ((writes & 1 << tested) != 0 || incremented >= 0 && (writes & 1 << incremented) != 0) {
                return -1;
            }
            if (incremented < 0 && isIncrement(insn, insn.dst())) {
                incremented = insn.dst();
            }
        }
        return -1;
    }

    /** Whether the straight code right before the latch adds 1 to {@code register}. */
    private boolean incrementedBefore(int latchIndex, int register) {
        int first = straightIntoLatch(latchIndex);
        for (int i = latchIndex - 1; i >= first; i--) {
            if (isIncrement(program.at(flow.slotAt(i)), register)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The index of the first of the (at most 8) instructions that run straight into the latch: none of them jumps,
     * and no jump lands on one after the first or on the latch.
     */
    private int straightIntoLatch(int latchIndex) {
        int first = latchIndex;
        while (first > 0 && latchIndex - first < 8 && !flow.isJumpTarget(flow.slotAt(first))
                && !isJump(program.at(flow.slotAt(first - 1)).opcode())) {
            first--;
        }
        return first;
    }

    /** Whether the latch is the only instruction of the loop that passes control to its header. */
    private boolean onlyLatchReturns(Loop loop) {
        return flow.sources(loop.header()).stream()
                .allMatch(source -> !loop.contains(source) || source == loop.latch());
    }

    /** The one instruction outside the loop that passes control to its header, or -1 when there are several. */
    private int soleEntry(Loop loop) {
        List<Integer> outside = flow.sources(loop.header()).stream()
                .filter(source -> !loop.contains(source)).toList();
        return outside.size() == 1 ? outside.get(0) : -1;
    }

    /** The slot of the loop's only instruction that writes {@code register}, if that is an increment; else -1. */
    private int onlyWrite(Loop loop, int register) {
        int increment = -1;
        for (int bit = loop.members.nextSetBit(0); bit >= 0; bit = loop.members.nextSetBit(bit + 1)) {
            int slot = loop.first() + bit;
            Instruction insn = program.at(slot);
            if ((SplitPlan.writes(insn) & 1 << register) != 0) {
                if (increment >= 0 || !isIncrement(insn, register)) {
                    return -1;
                }
                increment = slot;
            }
        }
        return increment;
    }

    /**
     * The constant the counter holds when control passes from {@code entry} to the loop: a move of an immediate into
     * it, followed by straight code up to {@code entry} that neither writes it nor is the target of a jump. Null when
     * that is not so.
     */
    private Long valueOnEntry(int entry, int counter) {
        int entryIndex = flow.indexOf(entry);
        for (int i = entryIndex; i >= 0 && entryIndex - i <= MAX_SLOTS; i--) {
            int slot = flow.slotAt(i);
            Instruction insn = program.at(slot);
            // The entry may itself be a jump to the header; before it, control must run straight.
            if (i != entryIndex && isJump(insn.opcode()) && code(insn.opcode()) != CALL) {
                return null;
            }
            if ((SplitPlan.writes(insn) & 1 << counter) != 0) {
                int op = insn.opcode();
                if (!isAlu(op) || code(op) != MOV || source(op) != K
                        || insn.offset() != 0) {
                    return null;
                }
                return opClass(op) == ALU64 ? (long) insn.imm32() : Integer.toUnsignedLong(insn.imm32());
            }
            if (flow.isJumpTarget(slot)) {
                return null;
            }
        }
        return null;
    }
}
