package org.ebpf4j.runtime.jit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * The control flow of one subprogram, as the JIT's analyses read it ({@link CountedLoops}, {@link BitMultiplies}):
 * where control comes from and goes to at each instruction, and the natural loop of a back edge. Every search step
 * spends one visit of a budget proportional to the subprogram's size, so that searching every instruction for a
 * loop stays linear.
 */
final class SubprogramFlow {
    /** Search steps per instruction of the subprogram, on top of one search of the largest loop counted. */
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

    /** The subprogram at {@code start} (inclusive) to {@code end} (exclusive). */
    SubprogramFlow(Instructions program, int start, int end) {
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
        this.visitsLeft = (long) VISITS_PER_SLOT * length + CountedLoops.MAX_SLOTS;
    }

    Instructions program() {
        return program;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    /** How many instructions the subprogram holds. */
    int instructionCount() {
        return slots.length;
    }

    /** The slot of the {@code index}-th instruction. */
    int slotAt(int index) {
        return slots[index];
    }

    /** The index of the instruction at {@code slot}, or -1 for a slot inside an lddw or outside the subprogram. */
    int indexOf(int slot) {
        return slot >= start && slot < end ? indexOf[slot - start] : -1;
    }

    /** Whether the search budget is spent: every search then answers as if it found nothing. */
    boolean exhausted() {
        return visitsLeft <= 0;
    }

    boolean isJumpTarget(int slot) {
        return sourceStart[slot - start + 1] > sourceStart[slot - start];
    }

    /** The instructions that pass control to {@code slot}: the one before it if it falls through, and jumps. */
    List<Integer> sources(int slot) {
        List<Integer> sources = new ArrayList<>();
        int previous = previous(slot);
        if (previous >= 0 && program.at(previous).fallsThrough()) {
            sources.add(previous);
        }
        for (int s = sourceStart[slot - start]; s < sourceStart[slot - start + 1]; s++) {
            sources.add(jumpSources[s]);
        }
        return sources;
    }

    /** The instruction before {@code slot} in the subprogram, or -1 at its first. */
    int previous(int slot) {
        int index = indexOf[slot - start];
        return index > 0 ? slots[index - 1] : -1;
    }

    /** The slot after the instruction at {@code slot}. */
    int next(int slot) {
        return slot + program.at(slot).slots();
    }

    /** Where control may go from {@code slot} inside the subprogram. */
    int[] successors(int slot) {
        Instruction insn = program.at(slot);
        int target = branchTarget(slot);
        boolean on = insn.fallsThrough() && next(slot) < end;
        if (target >= 0) {
            return on ? new int[] {next(slot), target} : new int[] {target};
        }
        return on ? new int[] {next(slot)} : new int[0];
    }

    /**
     * The instructions that reach {@code latch} without passing {@code header}, both included, as bits from slot
     * {@code first}; null when one of them is the subprogram's first (entered by its caller, not through the
     * header), lies outside {@code [first, last]}, or they are more than {@code most}.
     */
    BitSet naturalLoop(int header, int latch, int first, int last, int most) {
        if (latch < first || latch > last) {
            return null;
        }
        BitSet members = new BitSet();
        members.set(header - first);
        members.set(latch - first);
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(latch);
        int visited = 0;
        while (!work.isEmpty()) {
            int slot = work.poll();
            if (slot == header) {
                continue;
            }
            if (slot == start || --visitsLeft < 0 || ++visited > most) {
                return null;
            }
            for (int source : sources(slot)) {
                if (source < first || source > last) {
                    return null;
                }
                if (!members.get(source - first)) {
                    members.set(source - first);
                    work.add(source);
                }
            }
        }
        return members;
    }

    /**
     * Whether the loop of {@code members} (bits from slot {@code first}) has a cycle that does not pass its {@code
     * header}: an inner loop.
     */
    boolean hasInnerCycle(int header, int first, BitSet members) {
        // Depth-first from the header over the loop's edges, but those back to the header: a gray successor closes a
        // cycle. 0 white, 1 gray (on the path), 2 black.
        int[] color = new int[members.length()];
        ArrayDeque<int[]> path = new ArrayDeque<>();
        color[header - first] = 1;
        path.push(new int[] {header, 0});
        while (!path.isEmpty()) {
            int[] top = path.peek();
            int[] successors = successors(top[0]);
            if (top[1] == successors.length) {
                color[top[0] - first] = 2;
                path.pop();
                continue;
            }
            int next = successors[top[1]++];
            if (next == header || next < first || !members.get(next - first)) {
                continue;
            }
            if (--visitsLeft < 0 || color[next - first] == 1) {
                return true;
            }
            if (color[next - first] == 0) {
                color[next - first] = 1;
                path.push(new int[] {next, 0});
            }
        }
        return false;
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
}
