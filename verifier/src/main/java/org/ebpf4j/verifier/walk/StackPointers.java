package org.ebpf4j.verifier.walk;

import static org.ebpf4j.verifier.walk.StackValues.ALL_SLOTS;
import static org.ebpf4j.verifier.walk.StackValues.ANY_STACK;
import static org.ebpf4j.verifier.walk.StackValues.NOT_STACK;
import static org.ebpf4j.verifier.walk.StackValues.covered;
import static org.ebpf4j.verifier.walk.StackValues.argument;
import static org.ebpf4j.verifier.walk.StackValues.argumentOffset;
import static org.ebpf4j.verifier.walk.StackValues.argumentRegister;
import static org.ebpf4j.verifier.walk.StackValues.isArgument;
import static org.ebpf4j.verifier.walk.StackValues.isFrameOffset;
import static org.ebpf4j.verifier.walk.StackValues.join;
import static org.ebpf4j.verifier.walk.StackValues.moved;
import static org.ebpf4j.verifier.walk.StackValues.overwritten;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.IntUnaryOperator;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.cfg.Subprograms;
import org.ebpf4j.verifier.state.FrameState;

/**
 * Which of its own frame's stack slots each instruction may read or overwrite, found by a static forward analysis
 * of which registers may point into a stack: per register, not a stack pointer, {@code r10 + k} with {@code k}
 * known, or anywhere in some stack. It feeds {@link StackLiveness}, so every approximation errs towards reading more
 * and overwriting less.
 *
 * <p>Only the frame pointer and values computed from it point into a stack: constants added to or subtracted from
 * {@code r10 + k} keep {@code k} known, any other arithmetic with a possible stack pointer, a join of different
 * values give "anywhere", and so does a load from a slot of this frame where a stack pointer may have been spilled,
 * or through a pointer to anywhere (another frame's slot). Loads from other memory cannot give a stack pointer (the
 * verifier keeps them in registers and stack slots), nor can calls in r0, and calls store none in this frame
 * (helpers write data; a callee may not spill a stack pointer into a caller's frame). At a subprogram's entry
 * r1-r5 may point into a caller's stack (a callback's too); the main program's r1 is the context.
 *
 * <p>Effects, per instruction: a load or an atomic operation reads the slots it covers, everything when its address
 * is anywhere in a stack; a helper call reads the slots at and above each stack pointer among the arguments its
 * prototype has (every slot for one anywhere); a bpf-to-bpf call reads through each pointer {@code r10 + k} it
 * passes what the callee's summary says ({@link ArgumentReads}: a first pass tracks r1-r5 from each subprogram's
 * entry; whatever a callee passes on to its own callees counts as read whole), every slot through a pointer to
 * anywhere; a kfunc call or a helper that calls back into the program reads every slot when it may pass a stack
 * pointer; only an aligned 8-byte store at a known offset overwrites a slot. A store never depends on what the slot
 * held, which holds for privileged programs only (unprivileged ones refuse partial writes over spilled pointers;
 * their states are compared in full). The abstract values themselves are {@link StackValues}.
 */
final class StackPointers {
    private static final int ARGUMENTS = 5;

    private final Instructions program;
    private final Subprograms subprograms;
    private final IntUnaryOperator helperArguments;
    /** Per subprogram, what it reads through its arguments: given (at calls), or being summarised (then null). */
    private final ArgumentReads[] callees;
    /** While summarising: per subprogram, what its code reads through its arguments; otherwise null. */
    private final ArgumentReads[] summaries;
    private final boolean[] leaders;
    private final StackValues[] entry;
    /** Per slot: the frame's stack slots the instruction may read. */
    private final long[] reads;
    /** Per slot: the stack slot the instruction overwrites whole, or -1. */
    private final int[] overwrites;
    /** Per slot: a call that may pass a stack pointer in r1-r5. */
    private final boolean[] passesStack;

    private StackPointers(Instructions program, Subprograms subprograms, IntUnaryOperator helperArguments,
                          ArgumentReads[] callees) {
        this.program = program;
        this.subprograms = subprograms;
        this.helperArguments = helperArguments;
        this.callees = callees;
        this.summaries = callees == null ? new ArgumentReads[subprograms.count()] : null;
        if (summaries != null) {
            Arrays.setAll(summaries, s -> new ArgumentReads());
        }
        int slots = program.slotCount();
        this.leaders = new boolean[slots];
        this.entry = new StackValues[slots];
        this.reads = new long[slots];
        this.overwrites = new int[slots];
        this.passesStack = new boolean[slots];
        Arrays.fill(overwrites, -1);
    }

    /**
     * The effects of every instruction of a program that passed the structural checks; {@code helperArguments}
     * tells how many argument registers a helper reads (by id).
     */
    static StackPointers of(Instructions program, Subprograms subprograms, IntUnaryOperator helperArguments) {
        // First what each subprogram reads through its arguments (r1-r5 tracked from entry), then this frame's effects
        // with those summaries at bpf-to-bpf calls (r1-r5 of a subprogram may then point into any caller's stack).
        StackPointers summary = new StackPointers(program, subprograms, helperArguments, null);
        summary.solve();
        StackPointers analysis = new StackPointers(program, subprograms, helperArguments, summary.summaries);
        analysis.solve();
        return analysis;
    }

    private void solve() {
        findLeaders();
        Deque<Integer> work = new ArrayDeque<>();
        for (int s = 0; s < subprograms.count(); s++) {
            int start = subprograms.start(s);
            StackValues values = new StackValues();
            for (int r = 1; s != 0 && r <= ARGUMENTS; r++) {
                values.regs[r] = summaries != null ? argument(r) : ANY_STACK;
            }
            entry[start] = values;
            work.push(start);
        }
        while (!work.isEmpty()) {
            block(work.pop(), work);
        }
        for (int slot = 0; slot < entry.length; slot++) {
            if (entry[slot] != null) {
                block(slot, null);
            }
        }
    }

    long reads(int slot) {
        return reads[slot];
    }

    int overwrites(int slot) {
        return overwrites[slot];
    }

    boolean passesStack(int slot) {
        return passesStack[slot];
    }

    /** Block starts: subprogram entries, jump targets and what follows a jump or an exit. */
    private void findLeaders() {
        for (int s = 0; s < subprograms.count(); s++) {
            leaders[subprograms.start(s)] = true;
        }
        for (int slot = 0; slot < leaders.length; slot++) {
            if (!program.startsInstruction(slot)) {
                continue;
            }
            Instruction insn = program.at(slot);
            int next = slot + insn.slots();
            boolean ends = insn.isExit() || insn.isBranch();
            if (ends && next < leaders.length) {
                leaders[next] = true;
            }
            if (insn.isBranch()) {
                int target = insn.branchTarget(slot);
                if (target >= 0 && target < leaders.length) {
                    leaders[target] = true;
                }
            }
        }
    }

    /**
     * Runs the block starting at {@code start} from its entry state: with a work list, joins the result into its
     * successors' entries; without (the analysis has converged), records each instruction's effects.
     */
    private void block(int start, Deque<Integer> work) {
        StackValues values = entry[start].copy();
        int[] regs = values.regs;
        ArgumentReads summary = work == null && summaries != null ? summaries[subprograms.holding(start)] : null;
        int slot = start;
        while (true) {
            Instruction insn = program.at(slot);
            if (summary != null) {
                summarise(summary, insn, regs);
            } else if (work == null) {
                record(slot, insn, regs);
            }
            transfer(insn, values);
            int next = slot + insn.slots();
            if (insn.isExit()) {
                return;
            }
            if (insn.isBranch()) {
                flow(insn.branchTarget(slot), values, work);
                if (JumpOp.of(insn.opcode()) != JumpOp.JA) {
                    flow(next, values, work);
                }
                return;
            }
            if (next >= leaders.length) {
                return;
            }
            if (leaders[next]) {
                flow(next, values, work);
                return;
            }
            slot = next;
        }
    }

    private void flow(int target, StackValues values, Deque<Integer> work) {
        if (work == null || target < 0 || target >= entry.length) {
            return;
        }
        StackValues old = entry[target];
        if (old == null) {
            entry[target] = values.copy();
            work.push(target);
        } else if (old.absorb(values)) {
            work.push(target);
        }
    }

    private void record(int slot, Instruction insn, int[] regs) {
        switch (insn.opClass()) {
            case LDX -> reads[slot] = covered(get(regs, insn.src()), insn.offset(), Opcode.sizeBytes(insn.opcode()));
            case ST, STX -> {
                int size = Opcode.sizeBytes(insn.opcode());
                if (insn.opClass() == OpClass.STX && Mode.of(insn.opcode()) == Mode.ATOMIC) {
                    reads[slot] = covered(get(regs, insn.dst()), insn.offset(), size);
                } else {
                    overwrites[slot] = overwritten(get(regs, insn.dst()), insn.offset(), size);
                }
            }
            case JMP, JMP32 -> {
                if (Opcode.code(insn.opcode()) == Opcode.CALL) {
                    int callee = insn.isLocalCall() ? subprograms.startingAt(slot + 1 + insn.imm32()) : -1;
                    for (int r = 1; r <= arguments(insn); r++) {
                        passesStack[slot] |= regs[r] != NOT_STACK;
                        reads[slot] |= readsOnlyUpwards(insn) ? fromUpwards(regs[r])
                                : regs[r] == NOT_STACK ? 0
                                : callee >= 0 && isFrameOffset(regs[r]) ? callees[callee].slots(r, regs[r])
                                : ALL_SLOTS;
                    }
                }
            }
            default -> { }
        }
    }

    /** What {@code insn} of a subprogram being summarised reads through the subprogram's arguments. */
    private void summarise(ArgumentReads reads, Instruction insn, int[] regs) {
        switch (insn.opClass()) {
            case LDX -> summariseAccess(reads, get(regs, insn.src()), insn.offset(), Opcode.sizeBytes(insn.opcode()));
            case STX -> {
                if (Mode.of(insn.opcode()) == Mode.ATOMIC) {
                    summariseAccess(reads, get(regs, insn.dst()), insn.offset(), Opcode.sizeBytes(insn.opcode()));
                }
            }
            case JMP, JMP32 -> {
                if (Opcode.code(insn.opcode()) == Opcode.CALL) {
                    for (int r = 1; r <= arguments(insn); r++) {
                        int value = regs[r];
                        if (value == ANY_STACK) {
                            reads.everything();
                        } else if (isArgument(value) && readsOnlyUpwards(insn)) {
                            reads.read(argumentRegister(value), argumentOffset(value), Long.MAX_VALUE);
                        } else if (isArgument(value)) {
                            // Its own callees' summaries are not composed: anything around the argument.
                            reads.everything(argumentRegister(value));
                        }
                    }
                }
            }
            default -> { }
        }
    }

    /** A load or atomic operation at {@code address + off}; through a pointer of unknown origin, anything. */
    private static void summariseAccess(ArgumentReads reads, int address, int off, int size) {
        if (address == ANY_STACK) {
            reads.everything();
        } else if (isArgument(address)) {
            long start = (long) argumentOffset(address) + off;
            reads.read(argumentRegister(address), start, start + size);
        }
    }

    /** How many argument registers a call may read. */
    private int arguments(Instruction insn) {
        return insn.isHelperCall() ? helperArguments.applyAsInt(insn.imm32()) : ARGUMENTS;
    }

    /** A helper that calls no code of the program: it reads memory arguments only upwards from the pointer. */
    private static boolean readsOnlyUpwards(Instruction insn) {
        return insn.isHelperCall() && !Callbacks.callsBack(insn.imm32());
    }

    /**
     * The slots a helper may read through an argument: memory arguments reach upwards from the pointer,
     * so from a known offset only the slots at and above it.
     */
    private static long fromUpwards(int pointer) {
        if (pointer == NOT_STACK) {
            return 0;
        }
        if (pointer == ANY_STACK || pointer >= 0 || pointer < -Limits.MAX_BPF_STACK) {
            return ALL_SLOTS;
        }
        int lowest = FrameState.slotIndex(pointer);
        return lowest == Long.SIZE - 1 ? ALL_SLOTS : (1L << (lowest + 1)) - 1;
    }

    private static void transfer(Instruction insn, StackValues values) {
        int[] regs = values.regs;
        switch (insn.opClass()) {
            case ALU64 -> set(regs, insn.dst(), alu64(insn, regs));
            // 32-bit results are numbers, pointers included (their 32-bit copies and arithmetic).
            case ALU -> set(regs, insn.dst(), NOT_STACK);
            case LDX -> set(regs, insn.dst(), values.loaded(get(regs, insn.src()), insn.offset(),
                    Opcode.sizeBytes(insn.opcode())));
            case LD -> {
                if (insn.isLddw()) {
                    set(regs, insn.dst(), NOT_STACK);
                } else {
                    // Legacy packet loads clobber r0-r5 as a call does.
                    Arrays.fill(regs, 0, 1 + ARGUMENTS, NOT_STACK);
                }
            }
            case ST -> values.stored(get(regs, insn.dst()), insn.offset(), Opcode.sizeBytes(insn.opcode()), NOT_STACK);
            case STX -> {
                int address = get(regs, insn.dst());
                int size = Opcode.sizeBytes(insn.opcode());
                if (Mode.of(insn.opcode()) == Mode.ATOMIC) {
                    // A fetching atomic loads into src (cmpxchg into r0); assumed for every one. Its store merges.
                    int loaded = values.loaded(address, insn.offset(), size);
                    values.merged(address, insn.offset(), size, get(regs, insn.src()));
                    set(regs, insn.src(), join(get(regs, insn.src()), loaded));
                    regs[0] = join(regs[0], loaded);
                } else {
                    values.stored(address, insn.offset(), size, get(regs, insn.src()));
                }
            }
            // Calls store no stack pointer into this frame: helpers write data, callees may not spill pointers
            // to stack into a caller's frame.
            case JMP, JMP32 -> {
                if (Opcode.code(insn.opcode()) == Opcode.CALL) {
                    Arrays.fill(regs, 0, 1 + ARGUMENTS, NOT_STACK);
                }
            }
        }
    }

    private static int alu64(Instruction insn, int[] regs) {
        int dst = get(regs, insn.dst());
        int src = insn.usesImmediate() ? NOT_STACK : get(regs, insn.src());
        int code = Opcode.code(insn.opcode());
        if (code == Opcode.MOV) {
            // movsx (offset != 0) sign-extends a narrower part: a number.
            return insn.usesImmediate() || insn.offset() != 0 ? NOT_STACK : src;
        }
        if (insn.usesImmediate() && isKnown(dst) && (code == Opcode.ADD || code == Opcode.SUB)) {
            return moved(dst, code == Opcode.ADD ? insn.imm32() : -(long) insn.imm32());
        }
        return dst == NOT_STACK && src == NOT_STACK ? NOT_STACK : ANY_STACK;
    }

    /** A register's value; malformed register numbers are refused by the walk, and read here as anything. */
    private static int get(int[] regs, int reg) {
        return reg < regs.length ? regs[reg] : ANY_STACK;
    }

    private static void set(int[] regs, int reg, int value) {
        if (reg < regs.length) {
            regs[reg] = value;
        }
    }

    private static boolean isKnown(int value) {
        return value != NOT_STACK && value != ANY_STACK;
    }
}
