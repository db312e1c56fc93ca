package org.ebpf4j.verifier.walk;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.text.KernelDisassembler;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.LogOptions;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.StatePrinter;

/**
 * The kernel-style log of a walk, written as do_check writes it. Before each instruction: the state the previous
 * one left, only its scratched registers and slot ({@link Scratch}), on the previous line after padding
 * ({@code 1: (bf) r6 = r1                       ; R1=ctx() R6=ctx()}) or on its own line ({@code 10: R0=scalar()})
 * when something was logged in between; the source line when it changed ({@code ; int x = 1; @ file.c:12}); the
 * instruction ({@code 2: (07) r1 += -8}). A conditional jump that forks prints its state at once. Paths start with
 * their whole state ({@code 0: R1=ctx() R10=fp0}); a pruned one ends with {@code 5: safe}.
 *
 * <p>Level 1 rewinds the log, as the kernel's pop_stack does: a path taken from the stack of pending paths starts
 * where the log was when it was pushed, so the log holds the current path only, and after a function is verified
 * it restarts empty. Level 2 never rewinds and starts each taken path with {@code from 4 to 7: STATE}. Level 0
 * writes nothing: {@link #enabled()} is false and callers skip the work of describing what they did.
 */
final class WalkLog {
    private static final KernelDisassembler TEXT =
            new KernelDisassembler(id -> HelperFunction.of(id).map(HelperFunction::kernelName).orElse(null));
    /** BPF_LOG_ALIGNMENT and BPF_LOG_MIN_ALIGNMENT: where the state after an instruction starts. */
    private static final int ALIGNMENT = 40;
    private static final int MIN_ALIGNMENT = 8;

    /** Where the log was when a path was pushed, and the instruction that pushed it. */
    private record Fork(long position, int from) {}

    private final int level;
    private final LogBuffer out;
    private final List<ProgramSpec.SourceLine> lines;
    /** The index in {@code lines} of each slot's line (the last record at or before it), or -1. */
    private final int[] lineOf;
    private final Map<Path, Fork> forks = new IdentityHashMap<>();
    private int printedLine = -1;
    /** The instruction whose line was logged last: the one being checked. */
    private int checking;
    /** The log's end after the last instruction's line, and that line's length with its newline. */
    private long afterInsn = -1;
    private int insnLength;
    private Scratch pending = Scratch.NONE;
    /** The instruction a path just taken from the stack was pushed by, until its first instruction; or -1. */
    private int poppedFrom = -1;
    private boolean poppedSpeculative;

    private WalkLog(LogOptions options, int slotCount) {
        this.level = options.level();
        this.out = level == 0 ? null : new LogBuffer(options.size());
        this.lines = options.lines();
        this.lineOf = level == 0 || lines.isEmpty() ? null : lineIndex(lines, slotCount);
    }

    static WalkLog of(LogOptions options, int slotCount) {
        return new WalkLog(options, slotCount);
    }

    private static int[] lineIndex(List<ProgramSpec.SourceLine> lines, int slotCount) {
        int[] index = new int[slotCount];
        int next = 0;
        for (int s = 0; s < slotCount; s++) {
            while (next < lines.size() && lines.get(next).slot() <= s) {
                next++;
            }
            index[s] = next - 1;
        }
        return index;
    }

    boolean enabled() {
        return level > 0;
    }

    /** do_check_common: a function's walk starts, with its whole first state to print. */
    void functionStart(String validating) {
        if (level == 0) {
            return;
        }
        if (validating != null) {
            out.append(validating + "\n");
        }
        printedLine = -1;
        pending = Scratch.ALL;
    }

    /** A function verified: level 1 forgets its walk; {@code done} (may be null) says so. */
    void functionVerified(String done) {
        if (level == 0) {
            return;
        }
        if (level == 1) {
            out.reset(0);
        }
        if (done != null) {
            out.append(done);
            out.append('\n');
        }
    }

    /** A path pushed by the instruction being checked, to be taken later. */
    void forked(Path path) {
        if (level > 0) {
            forks.put(path, new Fork(out.position(), checking));
        }
    }

    /** A path taken from the stack: its whole state is shown before its first instruction. */
    void popped(Path path) {
        if (level == 0) {
            return;
        }
        Fork fork = forks.remove(path);
        if (fork == null) {
            return;
        }
        if (level == 1) {
            out.reset(fork.position);
        }
        poppedFrom = fork.from;
        poppedSpeculative = path.speculative;
        pending = Scratch.ALL;
    }

    /** A path stops at {@code insn}: an explored state there covers it. */
    void safe(int insn) {
        if (level == 0) {
            return;
        }
        if (poppedFrom >= 0) {
            out.append("\nfrom " + poppedFrom + " to " + insn + speculative() + ": safe\n");
        } else {
            out.append(insn + ": safe\n");
        }
        poppedFrom = -1;
    }

    /** An instruction about to be checked, in {@code frame}. */
    void before(int idx, Instruction insn, FrameState frame) {
        if (poppedFrom >= 0 && level == 2) {
            out.append("\nfrom " + poppedFrom + " to " + idx + speculative() + ": " + StatePrinter.frame(frame) + "\n");
        }
        poppedFrom = -1;
        checking = idx;
        flush(idx, frame);
        if (lineOf != null && lineOf[idx] >= 0 && lineOf[idx] != printedLine) {
            sourceLine(lines.get(lineOf[idx]), lineOf[idx]);
        }
        long start = out.position();
        out.append(idx + ": " + TEXT.instruction(insn) + "\n");
        afterInsn = out.position();
        insnLength = (int) (afterInsn - start);
    }

    /**
     * verbose_linfo: a record's line, unless it repeats the last one printed with another column (the kernel skips
     * those, the log having no columns).
     */
    private void sourceLine(ProgramSpec.SourceLine line, int index) {
        if (printedLine >= 0) {
            ProgramSpec.SourceLine last = lines.get(printedLine);
            if (last.line() == line.line() && last.file().equals(line.file())) {
                return;
            }
        }
        printedLine = index;
        String file = line.file().substring(line.file().lastIndexOf('/') + 1);
        out.append("; " + line.text().stripLeading() + " @ " + file + ":" + line.line() + "\n");
    }

    /** What the instruction just checked changed, shown before the next one (unless that one is pruned). */
    void after(Scratch scratch) {
        pending = scratch;
    }

    /** The state after the instruction at {@code idx}, shown now (check_cond_jmp_op's print_insn_state). */
    void now(int idx, Scratch scratch, FrameState frame) {
        pending = scratch;
        flush(idx, frame);
    }

    /** print_insn_state: on the instruction's line when nothing came after it, else on a line of its own. */
    private void flush(int idx, FrameState frame) {
        if (pending.isEmpty()) {
            return;
        }
        String state = pending == Scratch.ALL ? StatePrinter.frame(frame)
                : StatePrinter.scratched(frame, pending.registers(), pending.slot());
        pending = Scratch.NONE;
        if (state.isEmpty()) {
            // Only registers the instruction left uninitialised (a tail call's r0-r5): the kernel shows none.
            return;
        }
        if (afterInsn > 0 && afterInsn == out.position() && out.last() == '\n') {
            out.reset(afterInsn - 1);
            out.append(" ".repeat(alignment(insnLength)) + "; " + state + "\n");
        } else {
            out.append(idx + ": " + state + "\n");
        }
    }

    /** vlog_alignment: the padding after an instruction's line of {@code length} characters, newline included. */
    private static int alignment(int length) {
        int column = Math.max(length + MIN_ALIGNMENT / 2, ALIGNMENT);
        return (column + MIN_ALIGNMENT - 1) / MIN_ALIGNMENT * MIN_ALIGNMENT - length - 1;
    }

    /** Lines the kernel prints between instructions (a call's frames, a return). */
    void note(String text) {
        if (level > 0) {
            out.append(text);
            out.append('\n');
        }
    }

    /** A callee returned to instruction {@code to}; level 2 shows the caller's whole state (prepare_func_exit). */
    void returned(int from, int to, FrameState caller) {
        if (level == 2) {
            out.append("\nfrom " + from + " to " + to + ": " + StatePrinter.frame(caller) + "\n");
        }
        pending = Scratch.NONE;
    }

    private String speculative() {
        return poppedSpeculative ? " (speculative execution)" : "";
    }

    /** The log with its last lines: a rejection's message, or nothing on acceptance, then the statistics. */
    String finish(String message, Statistics statistics) {
        if (level == 0) {
            return "";
        }
        if (message != null) {
            out.append(message);
            out.append('\n');
        }
        out.append(statistics.line());
        return out.text();
    }

    boolean truncated() {
        return level > 0 && out.truncated();
    }

    /** The kernel's closing line (print_verification_stats). */
    record Statistics(int processed, int maxStatesPerInsn, int totalStates, int peakStates) {
        String line() {
            return String.format("processed %d insns (limit %d) max_states_per_insn %d total_states %d peak_states %d"
                    + " mark_read 0%n", processed, Limits.COMPLEXITY_LIMIT_INSNS, maxStatesPerInsn, totalStates,
                    peakStates);
        }
    }
}
