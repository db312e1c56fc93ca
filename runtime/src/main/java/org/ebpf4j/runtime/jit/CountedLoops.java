package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Instructions the search may visit per instruction of the subprogram, so that it stays linear in its size. */
    private static final int VISITS_PER_SLOT = 16;

    private final Instructions program;
    private final int start;
    private final int end;
    /** The subprogram's instruction starts, and each slot's index among them (-1 inside an lddw). */
    private final int[] slots;
    private final int[] indexOf;
    /** The slots of the jumps that land on each slot: {@code jumpSources[sourceStart[s]..sourceStart[s + 1])}. */
    private final int[] sourceStart;
    private final int[] jumpSources;
    private long visitsLeft;

    private CountedLoops(Instructions program, int start, int end) {
        this.program = program;
        this.start = start;
        this.end = end;
        int length = end - start;
        this.indexOf = new int[length + 1];
        Arrays.fill(indexOf, -1);
        List<Integer> starts = new ArrayList<>();
        int[] landing = new int[length + 1];
        for (int slot = start; slot < end; slot += program.at(slot).slots()) {
            indexOf[slot - start] = starts.size();
            starts.add(slot);
            int target = branchTarget(slot);
            if (target >= 0) {
                landing[target - start]++;
            }
        }
        this.slots = starts.stream().mapToInt(Integer::intValue).toArray();
        this.sourceStart = new int[length + 2];
        for (int s = 0; s <= length; s++) {
            sourceStart[s + 1] = sourceStart[s] + landing[s];
        }
        this.jumpSources = new int[sourceStart[length + 1]];
        int[] filled = Arrays.copyOf(sourceStart, length + 1);
        for (int slot : slots) {
            int target = branchTarget(slot);
            if (target >= 0) {
                jumpSources[filled[target - start]++] = slot;
            }
        }
        this.visitsLeft = (long) VISITS_PER_SLOT * slots.length + MAX_SLOTS;
    }

    /**
     * The counted loops of the subprogram at {@code start} (inclusive) to {@code end} (exclusive), by latch; no two
     * share an instruction.
     */
    static List<Loop> in(Instructions program, int start, int end) {
        CountedLoops search = new CountedLoops(program, start, end);
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < search.slots.length && search.visitsLeft > 0; i++) {
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
        int latch = slots[latchIndex];
        Instruction jump = program.at(latch);
        if (!jump.isBranch() || jump.isGoto()) {
            return null;
        }
        int header = jump.branchTarget(latch);
        if (header <= start || header >= end || indexOf[header - start] < 0 || header == next(latch)) {
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
        int first = Math.max(start, header - MAX_SLOTS);
        BitSet members = naturalLoop(header, latch, first);
        if (members == null) {
            return null;
        }
        Loop shape = new Loop(header, latch, NO_REGISTER, -1, -1, first, members);
        if (!onlyLatchReturns(shape) || shape.contains(next(latch)) || hasInnerCycle(shape)) {
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
            int cls = opClass(insn.opcode());
            return cls == ALU || cls == ALU64 || insn.isBranch();
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
        return (opClass(op) == ALU64 || opClass(op) == ALU) && code(op) == ADD && source(op) == K
                && insn.offset() == 0 && insn.dst() == register && insn.imm32() == 1;
    }

    /** {@code rX = rY} or {@code wX = wY}, no sign extension: below 2^31, both copy the value. */
    private static boolean isCopy(Instruction insn) {
        int op = insn.opcode();
        return (opClass(op) == ALU64 || opClass(op) == ALU) && code(op) == MOV && source(op) == X
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
            int slot = slots[i];
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
            if (isIncrement(program.at(slots[i]), register)) {
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
        while (first > 0 && latchIndex - first < 8 && !isJumpTarget(slots[first])
                && !isJump(program.at(slots[first - 1]).opcode())) {
            first--;
        }
        return first;
    }

    /**
     * The instructions that reach the latch without passing the header, header and latch included; null when one of
     * them is the subprogram's first (entered by its caller, not through the header) or lies out of reach.
     */
    private BitSet naturalLoop(int header, int latch, int first) {
        int last = Math.min(end - 1, header + MAX_SLOTS);
        BitSet members = new BitSet();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        members.set(header - first);
        if (latch < first || latch > last) {
            return null;
        }
        members.set(latch - first);
        work.add(latch);
        int visited = 0;
        while (!work.isEmpty()) {
            int slot = work.poll();
            if (slot == header) {
                continue;
            }
            if (slot == start || --visitsLeft < 0 || ++visited > MAX_SLOTS) {
                return null;
            }
            int previous = previous(slot);
            if (previous >= 0 && program.at(previous).fallsThrough() && !add(members, previous, first, last, work)) {
                return null;
            }
            for (int s = sourceStart[slot - start]; s < sourceStart[slot - start + 1]; s++) {
                if (!add(members, jumpSources[s], first, last, work)) {
                    return null;
                }
            }
        }
        return members;
    }

    private static boolean add(BitSet members, int slot, int first, int last, ArrayDeque<Integer> work) {
        if (slot < first || slot > last) {
            return false;
        }
        if (!members.get(slot - first)) {
            members.set(slot - first);
            work.add(slot);
        }
        return true;
    }

    /** Whether the latch is the only instruction of the loop that passes control to its header. */
    private boolean onlyLatchReturns(Loop loop) {
        return headerSources(loop.header()).stream()
                .allMatch(source -> !loop.contains(source) || source == loop.latch());
    }

    /** The one instruction outside the loop that passes control to its header, or -1 when there are several. */
    private int soleEntry(Loop loop) {
        List<Integer> outside = headerSources(loop.header()).stream()
                .filter(source -> !loop.contains(source)).toList();
        return outside.size() == 1 ? outside.get(0) : -1;
    }

    /** The instructions that pass control to {@code header}: the one before it if it falls through, and jumps. */
    private List<Integer> headerSources(int header) {
        List<Integer> sources = new ArrayList<>();
        int previous = previous(header);
        if (previous >= 0 && program.at(previous).fallsThrough()) {
            sources.add(previous);
        }
        for (int s = sourceStart[header - start]; s < sourceStart[header - start + 1]; s++) {
            sources.add(jumpSources[s]);
        }
        return sources;
    }

    /** Whether the loop has a cycle that does not pass its header: an inner loop. */
    private boolean hasInnerCycle(Loop loop) {
        // Depth-first from the header over the loop's edges, but those back to the header: a gray successor closes a
        // cycle. 0 white, 1 gray (on the path), 2 black.
        int[] color = new int[loop.members.length()];
        ArrayDeque<int[]> path = new ArrayDeque<>();
        color[loop.header() - loop.first()] = 1;
        path.push(new int[] {loop.header(), 0});
        while (!path.isEmpty()) {
            int[] top = path.peek();
            int[] successors = successors(top[0]);
            if (top[1] == successors.length) {
                color[top[0] - loop.first()] = 2;
                path.pop();
                continue;
            }
            int next = successors[top[1]++];
            if (next == loop.header() || !loop.contains(next)) {
                continue;
            }
            if (--visitsLeft < 0 || color[next - loop.first()] == 1) {
                return true;
            }
            if (color[next - loop.first()] == 0) {
                color[next - loop.first()] = 1;
                path.push(new int[] {next, 0});
            }
        }
        return false;
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
        int entryIndex = indexOf[entry - start];
        for (int i = entryIndex; i >= 0 && entryIndex - i <= MAX_SLOTS; i--) {
            int slot = slots[i];
            Instruction insn = program.at(slot);
            // The entry may itself be a jump to the header; before it, control must run straight.
            if (i != entryIndex && isJump(insn.opcode()) && code(insn.opcode()) != CALL) {
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
            if (isJumpTarget(slot)) {
                return null;
            }
        }
        return null;
    }

    private boolean isJumpTarget(int slot) {
        return sourceStart[slot - start + 1] > sourceStart[slot - start];
    }

    /** Where a branch at {@code slot} lands inside the subprogram, or -1 for other instructions. */
    private int branchTarget(int slot) {
        Instruction insn = program.at(slot);
        if (!insn.isBranch()) {
            return -1;
        }
        int target = insn.branchTarget(slot);
        return target >= start && target < end ? target : -1;
    }

    /** The instruction before {@code slot} in the subprogram, or -1 at its first. */
    private int previous(int slot) {
        int index = indexOf[slot - start];
        return index > 0 ? slots[index - 1] : -1;
    }

    /** The slot after the instruction at {@code slot}. */
    private int next(int slot) {
        return slot + program.at(slot).slots();
    }

    /** Where control may go from {@code slot} inside the subprogram. */
    private int[] successors(int slot) {
        Instruction insn = program.at(slot);
        int target = branchTarget(slot);
        boolean on = insn.fallsThrough() && next(slot) < end;
        if (target >= 0) {
            return on ? new int[] {next(slot), target} : new int[] {target};
        }
        return on ? new int[] {next(slot)} : new int[0];
    }
}
