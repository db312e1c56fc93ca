package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Opcode.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;

/**
 * How a subprogram too large for one JVM method is cut into chunks: runs of consecutive instructions, each compiled
 * to one method. Control passes between chunks through a dispatcher as an entry id, {@code chunk << 16 | n} for the
 * chunk's n-th entry (its first instruction and every instruction another chunk jumps to), or -1 for exit.
 *
 * <p>Cuts are chosen where few jumps cross, within a window of the byte budget, so that short loops stay inside
 * one chunk and keep running as JVM loops.
 */
final class SplitPlan {
    static final int EXIT = -1;
    /** Entry ids keep the chunk in bits 16-30, so that they stay non-negative. */
    static final int MAX_CHUNKS = 1 << 15;

    /** One chunk: slots {@code [start, end)}, its entry slots in order, the registers it may write (a bit each). */
    record Chunk(int start, int end, int[] entries, int writes) {
        int localEntry(int slot) {
            return Arrays.binarySearch(entries, slot);
        }
    }

    private final List<Chunk> chunks;
    private final int[] chunkStarts;

    private SplitPlan(List<Chunk> chunks) {
        this.chunks = List.copyOf(chunks);
        this.chunkStarts = chunks.stream().mapToInt(Chunk::start).toArray();
    }

    List<Chunk> chunks() {
        return chunks;
    }

    int chunkOf(int slot) {
        int i = Arrays.binarySearch(chunkStarts, slot);
        return i >= 0 ? i : -i - 2;
    }

    /** The entry id that resumes at {@code slot}, which must be an entry of its chunk. */
    int entryId(int slot) {
        int chunk = chunkOf(slot);
        int local = chunks.get(chunk).localEntry(slot);
        if (local < 0) {
            throw new IllegalStateException("slot " + slot + " is no entry of its chunk");
        }
        return chunk << 16 | local;
    }

    /**
     * Cuts the subprogram at {@code [start, end)} into chunks whose estimated bytecode stays under {@code budget}.
     *
     * @throws Subprograms.Unsupported when one instruction alone needs more, or the chunks would be too many
     */
    static SplitPlan of(Instructions program, int start, int end, BytecodeSize size, int budget) {
        List<Integer> slots = new ArrayList<>();
        for (int slot = start; slot < end; slot += program.at(slot).slots()) {
            slots.add(slot);
        }
        int n = slots.size();
        int[] bytes = new int[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = size.of(slots.get(i), program.at(slots.get(i)));
            if (bytes[i] > budget) {
                throw new Subprograms.Unsupported("the instruction at slot " + slots.get(i) + " alone needs about "
                        + bytes[i] + " bytes of bytecode, more than a method may hold and still be compiled");
            }
        }
        int[] crossing = crossings(program, slots);
        List<int[]> ranges = new ArrayList<>(); // instruction indices [from, to)
        int from = 0;
        while (from < n) {
            int to = from;
            long total = 0;
            while (to < n && total + bytes[to] <= budget) {
                total += bytes[to++];
            }
            if (to < n) {
                to = bestCut(bytes, crossing, from, to, budget);
            }
            ranges.add(new int[] {from, to});
            from = to;
        }
        if (ranges.size() >= MAX_CHUNKS) {
            throw new Subprograms.Unsupported("the subprogram at slot " + start + " would need " + ranges.size()
                    + " chunks, more than " + (MAX_CHUNKS - 1));
        }
        return new SplitPlan(chunks(program, slots, ranges, end));
    }

    /** crossing[i]: how many jumps cross a cut just before instruction i (a difference array over the indices). */
    private static int[] crossings(Instructions program, List<Integer> slots) {
        int n = slots.size();
        int[] diff = new int[n + 2];
        for (int i = 0; i < n; i++) {
            Instruction insn = program.at(slots.get(i));
            if (insn.isBranch()) {
                int target = indexOf(slots, insn.branchTarget(slots.get(i)));
                int low = Math.min(i, target);
                int high = Math.max(i, target);
                diff[low + 1]++;
                diff[high + 1]--;
            }
        }
        int[] crossing = new int[n + 1];
        int running = 0;
        for (int i = 0; i <= n; i++) {
            running += diff[i];
            crossing[i] = running;
        }
        return crossing;
    }

    /** The cut in the last 40% of the budget that fewest jumps cross; the latest of equals. */
    private static int bestCut(int[] bytes, int[] crossing, int from, int to, int budget) {
        int best = to;
        long total = 0;
        for (int i = to - 1; i > from; i--) {
            total += bytes[i];
            if (total > budget * 2L / 5) {
                break;
            }
            if (crossing[i] < crossing[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int indexOf(List<Integer> slots, int slot) {
        int i = java.util.Collections.binarySearch(slots, slot);
        if (i < 0) {
            throw new Subprograms.Unsupported("a jump targets slot " + slot + ", which starts no instruction");
        }
        return i;
    }

    private static List<Chunk> chunks(Instructions program, List<Integer> slots, List<int[]> ranges, int end) {
        int[] chunkOfIndex = new int[slots.size()];
        List<TreeSet<Integer>> entries = new ArrayList<>();
        for (int c = 0; c < ranges.size(); c++) {
            Arrays.fill(chunkOfIndex, ranges.get(c)[0], ranges.get(c)[1], c);
            var set = new TreeSet<Integer>();
            set.add(slots.get(ranges.get(c)[0]));
            entries.add(set);
        }
        int[] writes = new int[ranges.size()];
        for (int i = 0; i < slots.size(); i++) {
            Instruction insn = program.at(slots.get(i));
            writes[chunkOfIndex[i]] |= writes(insn);
            if (insn.isBranch()) {
                int target = indexOf(slots, insn.branchTarget(slots.get(i)));
                if (chunkOfIndex[target] != chunkOfIndex[i]) {
                    entries.get(chunkOfIndex[target]).add(slots.get(target));
                }
            }
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int c = 0; c < ranges.size(); c++) {
            int chunkEnd = c + 1 < ranges.size() ? slots.get(ranges.get(c + 1)[0]) : end;
            chunks.add(new Chunk(slots.get(ranges.get(c)[0]), chunkEnd,
                    entries.get(c).stream().mapToInt(Integer::intValue).toArray(), writes[c]));
        }
        return chunks;
    }

    /** The registers an instruction may write, as emitted (a superset is harmless: it only costs a store). */
    static int writes(Instruction insn) {
        int op = insn.opcode();
        int dst = 1 << insn.dst();
        return switch (opClass(op)) {
            case ALU, ALU64, LDX -> dst;
            case ST, STX -> mode(op) == ATOMIC ? 1 << insn.src() | 1 : 0;
            case LD -> insn.isLddw() ? dst : 1;
            default -> code(op) == CALL ? 0b11_1111 : 0;
        };
    }
}
