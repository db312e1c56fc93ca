package org.ebpf4j.verifier.walk;

import java.util.ArrayDeque;
import java.util.Deque;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.StatePrinter;

/**
 * The kernel-style log at level 1: the last instructions of the failing path, each with the registers after it
 * ({@code 3: (07) r1 += -8 ; R1=fp-8}), the instruction that failed, the message, and the statistics line. Only a
 * window of recent instructions is kept, so logging costs little on programs that process a million.
 */
final class WalkLog {
    private static final int WINDOW = 32;
    private static final Disassembler TEXT = Disassembler.llvmObjdump();

    /** An instruction and the state after it; or, with no instruction, a path's start or (with text) a note. */
    private record Entry(int slot, Instruction insn, FrameState after, String text) {}

    private final Deque<Entry> recent = new ArrayDeque<>();

    /** Records an instruction and the state it left (a copy is taken only of the frame, cheaply). */
    void step(int slot, Instruction insn, FrameState after) {
        if (recent.size() == WINDOW) {
            recent.removeFirst();
        }
        recent.addLast(new Entry(slot, insn, after.copy(), null));
    }

    /** An instruction whose effects the log shows as notes (calls and returns): its line alone, before them. */
    void instruction(int slot, Instruction insn) {
        if (recent.size() == WINDOW) {
            recent.removeFirst();
        }
        recent.addLast(new Entry(slot, insn, null, null));
    }

    /** The state where the walk continues, as the kernel prints it on entering a callee. */
    void state(int slot, FrameState state) {
        if (recent.size() == WINDOW) {
            recent.removeFirst();
        }
        recent.addLast(new Entry(slot, null, state.copy(), null));
    }

    /** Lines the kernel prints between instructions (a call's frames, a return). */
    void note(String text) {
        if (recent.size() == WINDOW) {
            recent.removeFirst();
        }
        recent.addLast(new Entry(-1, null, null, text));
    }

    void pathStart(int slot, FrameState state) {
        recent.clear();
        recent.addLast(new Entry(slot, null, state.copy(), null));
    }

    String rejection(int failedSlot, Instruction failed, String message, int processed, int states) {
        StringBuilder log = new StringBuilder();
        for (Entry e : recent) {
            if (e.text != null) {
                log.append(e.text).append('\n');
            } else if (e.after == null) {
                log.append(line(e.slot, e.insn)).append('\n');
            } else if (e.insn == null) {
                log.append(e.slot).append(": ").append(StatePrinter.frame(e.after)).append('\n');
            } else {
                log.append(line(e.slot, e.insn)).append(" ; ").append(StatePrinter.frame(e.after)).append('\n');
            }
        }
        Entry last = recent.peekLast();
        boolean alreadyShown = last != null && last.after == null && last.insn != null && last.slot == failedSlot;
        if (failed != null && !alreadyShown) {
            log.append(line(failedSlot, failed)).append('\n');
        }
        return log.append(message).append('\n').append(statistics(processed, states)).toString();
    }

    static String statistics(int processed, int states) {
        return String.format("processed %d insns (limit %d) max_states_per_insn 0 total_states %d peak_states %d"
                + " mark_read 0%n", processed, Limits.COMPLEXITY_LIMIT_INSNS, states, states);
    }

    private static String line(int slot, Instruction insn) {
        return String.format("%d: (%02x) %s", slot, insn.opcode(), TEXT.instruction(insn, slot));
    }
}
