package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;
import static org.ebpf4j.isa.Opcode.*;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;

import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.ebpf4j.isa.Alu;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.helper.PacketDataHelpers;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;

/**
 * Emits the methods of a program. A subprogram that fits one method becomes
 * {@code long f<slot>(JitRun run, int depth, long r0, ..., long r9)}: registers live in long locals and every slot
 * gets a label, so jumps become JVM branches. A larger one is cut by a {@link SplitPlan} into chunk methods
 * {@code int c<slot>_<k>(JitRun run, int depth, JitFrame frame, int entry)} (see {@link SplitEmitter}) with the
 * same locals: a chunk loads the registers from the frame, and a jump out of it stores what the chunk may have
 * written and returns the entry id of its target. This class lays out methods, jumps, calls and counted loops and
 * pushes operands ({@link Operands}); {@link AluEmitter} and {@link MemoryEmitter} emit arithmetic and memory
 * accesses. Semantics come from the same places as the interpreter's: {@link Alu} for everything beyond
 * add/sub/mul/and/or/xor/neg/mov, {@link org.ebpf4j.isa.Condition}'s description of each comparison
 * ({@link CompareAndBranch}), {@link JitRuntime} for memory, helpers and faults.
 *
 * <p>With constant blinding, every immediate is emitted as {@code (imm ^ key) ^ key}, the key read from a static
 * field that is not final, so neither the class file nor C2's code holds a constant of the program's choosing.
 */
final class MethodEmitter implements Operands {
    static final ClassDesc CD_RUN = ClassDesc.of(JitRun.class.getName());
    static final ClassDesc CD_FRAME = ClassDesc.of(JitFrame.class.getName());
    static final MethodTypeDesc SUBPROGRAM_TYPE = MethodTypeDesc.of(CD_long,
            CD_RUN, CD_int, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long, CD_long);
    /** Chunks and dispatchers: {@code int (JitRun, int depth, JitFrame, int entry)}, returning the next entry. */
    static final MethodTypeDesc CHUNK_TYPE = MethodTypeDesc.of(CD_int, CD_RUN, CD_int, CD_FRAME, CD_int);
    /** The static field of each class that holds the blinding key. */
    static final String KEY_FIELD = "key";
    static final ClassDesc CD_RUNTIME = ClassDesc.of(JitRuntime.class.getName());
    static final ClassDesc CD_MEMORY = ClassDesc.of(AddressSpace.class.getName());
    static final ClassDesc CD_INVOCATION = ClassDesc.of(Invocation.class.getName());
    private static final ClassDesc CD_FAULT = ClassDesc.of(ProgramFault.class.getName());
    static final ClassDesc CD_HELPER = ClassDesc.of(org.ebpf4j.runtime.helpers.Helper.class.getName());

    static final int RUN = 0;
    static final int DEPTH = 1;
    static final int R10 = 22;
    static final int MEMORY = 24;
    /** Chunk methods only: the frame and the entry id (parameters 2 and 3, moved out of the registers' way). */
    static final int FRAME = 25;
    static final int NEXT = 26;
    /** Methods with direct stack accesses: the invocation's stack array and the index of r10 in it. */
    static final int STACK = 27;
    static final int FRAME_TOP = 28;
    /** Inside a counted loop ({@link CountedLoops}): its counter, as an int. */
    static final int COUNTER = 29;
    /** Methods with loops the JIT counts by their iterations ({@link CountedLoops}): the count. */
    static final int ITERATIONS = 30;
    /** Where the iteration count of such a loop starts again from 0: it only needs to stay an int. */
    private static final int ITERATION_BOUND = 1 << 30;

    private final Instructions program;
    private final Subprograms subprograms;
    private final long[] constants;
    private final HelperConstants helpers;
    private final boolean countsBackwardJumps;
    private final Long blindingKey;
    private final ProgramMethods methods;
    private final AccessFacts facts;
    private final AluEmitter alu;
    private final MemoryEmitter memory;
    /** Every subprogram's loops counted by a register, by each of their slots. */
    private final Map<Integer, CountedLoops.Loop> countedLoops = new HashMap<>();
    /** The latches of the loops counted by their iterations. */
    private final TreeSet<Integer> iterationLatches = new TreeSet<>();
    /** The multiplies by a constant of a register that holds 0 or 1. */
    private final BitSet bitMultiplies = new BitSet();
    /** The class whose method is being emitted, and where that method sends jumps and exits. */
    private ClassDesc owner;
    private Body body;

    /**
     * @param constants the 64-bit value of every lddw, by slot (map references already resolved)
     * @param blindingKey the key immediates are blinded with, or null for none
     */
    MethodEmitter(Instructions program, Subprograms subprograms, long[] constants, HelperConstants helpers,
                  boolean countsBackwardJumps, Long blindingKey, ProgramMethods methods, AccessFacts facts) {
        this.program = program;
        this.subprograms = subprograms;
        this.constants = constants;
        this.helpers = helpers;
        this.countsBackwardJumps = countsBackwardJumps;
        this.blindingKey = blindingKey;
        this.methods = methods;
        this.facts = facts;
        this.alu = new AluEmitter(this, bitMultiplies);
        this.memory = new MemoryEmitter(this, facts);
        for (int k = 0; k < subprograms.count(); k++) {
            SubprogramFlow flow = new SubprogramFlow(program, subprograms.start(k), subprograms.end(k));
            bitMultiplies.or(BitMultiplies.in(flow));
            for (CountedLoops.Loop loop : CountedLoops.in(flow)) {
                if (loop.countsRegister()) {
                    loop.slots().forEach(slot -> countedLoops.put(slot, loop));
                } else {
                    iterationLatches.add(loop.latch());
                }
            }
        }
    }

    static String methodName(int start) {
        return "f" + start;
    }

    static String chunkName(int start, int chunk) {
        return "c" + start + "_" + chunk;
    }

    static int reg(int r) {
        return r == 10 ? R10 : 2 + 2 * r;
    }

    ClassDesc owner() {
        return owner;
    }

    /** Sets the class the next methods are emitted into. */
    void emitInto(ClassDesc classDesc) {
        this.owner = classDesc;
    }

    /** A whole subprogram as one method. */
    void emitSubprogram(CodeBuilder code, int index) {
        int start = subprograms.start(index);
        int end = subprograms.end(index);
        body = new Body(code, start, end, null, new int[0]);
        code.iload(DEPTH)
                .invokestatic(CD_INVOCATION, "framePointer", MethodTypeDesc.of(CD_long, CD_int))
                .lstore(R10)
                .aload(RUN).getfield(CD_RUN, "memory", CD_MEMORY).astore(MEMORY);
        directStackPrologue(code, start, end);
        iterationsPrologue(code, start, end);
        emitInstructions(code);
        body = null;
    }

    /** One chunk of a split subprogram. */
    void emitChunk(CodeBuilder code, SplitPlan plan, int chunkIndex) {
        SplitPlan.Chunk chunk = plan.chunks().get(chunkIndex);
        body = new Body(code, chunk.start(), chunk.end(), plan, chunk.entries());
        code.aload(2).astore(FRAME).iload(3).istore(NEXT)
                .aload(RUN).getfield(CD_RUN, "memory", CD_MEMORY).astore(MEMORY);
        directStackPrologue(code, chunk.start(), chunk.end());
        iterationsPrologue(code, chunk.start(), chunk.end());
        for (int r = 0; r <= 10; r++) {
            code.aload(FRAME).getfield(CD_FRAME, "r" + r, CD_long).lstore(reg(r));
        }
        int[] entries = chunk.entries();
        Label first = body.labels[0];
        if (entries.length > 1) {
            List<SwitchCase> cases = new ArrayList<>();
            for (int i = 0; i < entries.length; i++) {
                cases.add(SwitchCase.of(i, body.labels[entries[i] - chunk.start()]));
            }
            code.iload(NEXT).loadConstant((ConstantDesc) 0xffff).iand()
                    .tableswitch(0, entries.length - 1, first, cases);
        }
        emitInstructions(code);
        Instruction last = program.at(lastSlot(chunk.start(), chunk.end()));
        if (last.fallsThrough()) {
            code.goto_(body.target(chunk.end()));
        }
        for (var stub : body.stubs.entrySet()) {
            code.labelBinding(stub.getValue()).loadConstant((ConstantDesc) plan.entryId(stub.getKey()))
                    .goto_(body.epilogue);
        }
        code.labelBinding(body.epilogue).istore(NEXT);
        for (int r = 0; r <= 10; r++) {
            if ((chunk.writes() & 1 << r) != 0) {
                code.aload(FRAME).lload(reg(r)).putfield(CD_FRAME, "r" + r, CD_long);
            }
        }
        code.iload(NEXT).ireturn();
        body = null;
    }

    private int lastSlot(int start, int end) {
        int last = start;
        for (int slot = start; slot < end; slot += program.at(slot).slots()) {
            last = slot;
        }
        return last;
    }

    /** The iteration count, for methods holding the latch of a loop counted by its iterations. */
    private void iterationsPrologue(CodeBuilder code, int start, int end) {
        if (!countsBackwardJumps && !iterationLatches.subSet(start, end).isEmpty()) {
            code.iconst_0().istore(ITERATIONS);
        }
    }

    /** Where the method's direct stack accesses are: computed once per call, only for methods that have some. */
    private void directStackPrologue(CodeBuilder code, int start, int end) {
        if (facts.anyDirect(start, end, PointerKind.STACK)) {
            code.aload(RUN).getfield(CD_RUN, "stack", MemoryEmitter.CD_BYTES).astore(STACK)
                    .aload(RUN).iload(DEPTH).invokevirtual(CD_RUN, "frameTop", MethodTypeDesc.of(CD_int, CD_int))
                    .istore(FRAME_TOP);
        }
    }

    private void emitInstructions(CodeBuilder code) {
        int previous = -1;
        for (int slot = body.start; slot < body.end; slot += program.at(slot).slots()) {
            CountedLoops.Loop loop = countedLoopAt(slot);
            if (loop != body.loop && previous >= 0 && program.at(previous).fallsThrough()) {
                // Falling out of a counted loop stores its counter back; falling into one (its header) sets it.
                spillCounter(code);
                if (loop != null) {
                    loadCounter(code, loop);
                }
            }
            body.loop = loop;
            code.labelBinding(body.labels[slot - body.start]);
            emitInstruction(code, slot, program.at(slot));
            previous = slot;
        }
        boolean fallsOut = program.at(previous).fallsThrough();
        if (fallsOut) {
            spillCounter(code);
        }
        body.loop = null;
        emitLoopStubs(code, fallsOut);
    }

    /**
     * The counted loop holding {@code slot} that this method counts: one wholly inside it that no entry of the
     * method lands in, so that only its header's stub or fall-through enters it. Null for other slots.
     */
    private CountedLoops.Loop countedLoopAt(int slot) {
        CountedLoops.Loop loop = countedLoops.get(slot);
        if (loop == null || loop.header() <= body.start || loop.lowest() < body.start || loop.highest() >= body.end) {
            return null;
        }
        for (int entry : body.entries) {
            if (loop.contains(entry)) {
                return null;
            }
        }
        return loop;
    }

    /**
     * The stubs on the edges of counted loops, after the method's instructions: a jump out of a loop stores its
     * counter back into the register's long, which the code after the loop reads; a jump into one sets its counter.
     */
    private void emitLoopStubs(CodeBuilder code, boolean fallsOut) {
        if (body.loopExits.isEmpty() && body.loopEntries.isEmpty()) {
            return;
        }
        Label after = code.newLabel();
        if (fallsOut) {
            code.goto_(after);
        }
        for (var exits : body.loopExits.entrySet()) {
            for (var exit : exits.getValue().entrySet()) {
                code.labelBinding(exit.getValue());
                storeCounter(code, countedLoops.get(exits.getKey()));
                code.goto_(entering(exit.getKey()));
            }
        }
        for (var entry : body.loopEntries.entrySet()) {
            code.labelBinding(entry.getValue());
            loadCounter(code, countedLoops.get(entry.getKey()));
            code.goto_(body.labels[entry.getKey() - body.start]);
        }
        code.labelBinding(after);
    }

    /** Inside a counted loop, stores its counter into the register's long; elsewhere nothing. */
    private void spillCounter(CodeBuilder code) {
        if (body.loop != null) {
            storeCounter(code, body.loop);
        }
    }

    private static void storeCounter(CodeBuilder code, CountedLoops.Loop loop) {
        code.iload(COUNTER).i2l().lstore(reg(loop.register()));
    }

    private static void loadCounter(CodeBuilder code, CountedLoops.Loop loop) {
        code.lload(reg(loop.register())).l2i().istore(COUNTER);
    }

    /** Where a jump from the current instruction to {@code slot} goes: through a stub if it leaves a counted loop. */
    private Label jumpTarget(int slot) {
        CountedLoops.Loop from = body.loop;
        if (from == null) {
            return entering(slot);
        }
        if (from.contains(slot)) {
            return body.target(slot);
        }
        return body.loopExits.computeIfAbsent(from.header(), unused -> new TreeMap<>())
                .computeIfAbsent(slot, unused -> body.code.newLabel());
    }

    /** Where a jump from outside counted loops to {@code slot} goes: into one, through the stub that sets it up. */
    private Label entering(int slot) {
        CountedLoops.Loop into = countedLoopAt(slot);
        if (into == null) {
            return body.target(slot);
        }
        return body.loopEntries.computeIfAbsent(into.header(), unused -> body.code.newLabel());
    }

    /** The counter, widened, for a counted loop's register inside the loop. */
    @Override
    public CodeBuilder register(CodeBuilder code, int local) {
        if (body.loop != null && local == reg(body.loop.register())) {
            return code.iload(COUNTER).i2l();
        }
        return code.lload(local);
    }

    /** The method being emitted: its slots, their labels, and (split) the stubs that leave for other chunks. */
    private static final class Body {
        final CodeBuilder code;
        final int start;
        final int end;
        final Label[] labels;
        final SplitPlan plan;
        final Map<Integer, Label> stubs = new TreeMap<>();
        final Label epilogue;
        /** Where other methods enter this one (a chunk's entries; none for a whole subprogram). */
        final int[] entries;
        /** The counted loop of the instruction being emitted, if any. */
        CountedLoops.Loop loop;
        /** The stubs of jumps out of counted loops, by loop header and then target; of jumps into them, by header. */
        final Map<Integer, Map<Integer, Label>> loopExits = new TreeMap<>();
        final Map<Integer, Label> loopEntries = new TreeMap<>();

        Body(CodeBuilder code, int start, int end, SplitPlan plan, int[] entries) {
            this.code = code;
            this.start = start;
            this.end = end;
            this.plan = plan;
            this.entries = entries;
            this.labels = new Label[end - start];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = code.newLabel();
            }
            this.epilogue = plan == null ? null : code.newLabel();
        }

        /** Where a jump to {@code slot} goes: its label, or in a chunk, a stub that leaves for another chunk. */
        Label target(int slot) {
            if (slot >= start && slot < end) {
                return labels[slot - start];
            }
            if (plan == null) {
                throw new Subprograms.Unsupported("a jump leaves its subprogram for slot " + slot);
            }
            return stubs.computeIfAbsent(slot, unused -> code.newLabel());
        }
    }

    /** Blinded when a key is set. */
    @Override
    public CodeBuilder immediate(CodeBuilder code, long value) {
        if (blindingKey == null) {
            return code.loadConstant((ConstantDesc) value);
        }
        return code.ldc((ConstantDesc) (value ^ blindingKey)).getstatic(owner, KEY_FIELD, CD_long).lxor();
    }

    private void emitInstruction(CodeBuilder code, int slot, Instruction insn) {
        int op = insn.opcode();
        switch (opClass(op)) {
            case ALU64, ALU -> {
                if (body.loop != null && slot == body.loop.increment()) {
                    incrementCounter(code, insn);
                } else {
                    alu.emit(code, insn, slot);
                }
            }
            case LDX, ST, STX -> memory.emit(code, slot, insn);
            case LD -> emitLd(code, slot, insn);
            default -> emitJump(code, slot, insn);
        }
    }

    /** A counted loop's increment of its register adds to the int counter instead. */
    private void incrementCounter(CodeBuilder code, Instruction insn) {
        if (blindingKey == null) {
            code.iinc(COUNTER, 1);
        } else {
            immediate(code.iload(COUNTER), insn.imm32()).l2i().iadd().istore(COUNTER);
        }
    }

    private void emitLd(CodeBuilder code, int slot, Instruction insn) {
        int op = insn.opcode();
        if (op == LDDW) {
            long value = insn.src() == PSEUDO_FUNC ? Pointer.code(slot + 1 + insn.imm32()) : constants[slot];
            immediate(code, value).lstore(reg(insn.dst()));
            return;
        }
        int mode = mode(op);
        int size = sizeBytes(op);
        if ((mode == ABS || mode == IND) && size != 8) {
            code.aload(RUN);
            if (mode == IND) {
                register(code, reg(insn.src()));
                immediate(code, insn.imm32()).ladd();
            } else {
                immediate(code, insn.imm32());
            }
            code.loadConstant((ConstantDesc) size).loadConstant((ConstantDesc) slot)
                    .invokestatic(CD_RUNTIME, "legacyLoad", MethodTypeDesc.of(CD_long, CD_RUN, CD_long, CD_int, CD_int))
                    .lstore(reg(0));
            return;
        }
        unknownOpcode(code, slot, op);
    }

    private void emitJump(CodeBuilder code, int slot, Instruction insn) {
        int op = insn.opcode();
        int cls = opClass(op);
        int jump = code(op);
        if (op == (JMP | CALL)) {
            if (insn.src() == CALL_LOCAL) {
                emitLocalCall(code, slot, slot + 1 + insn.imm32());
            } else {
                emitHelperCall(code, slot, insn.imm32());
            }
        } else if (op == (JMP | CALL | X)) {
            emitCallx(code, slot, reg(insn.dst()));
        } else if (op == (JMP | EXIT)) {
            emitExit(code);
        } else if (insn.isGoto()) {
            if (insn.displacement() < 0 && countsBackwardJumps) {
                countBackwardJump(code, slot);
            }
            code.goto_(jumpTarget(insn.branchTarget(slot)));
        } else if (body.loop != null && slot == body.loop.latch()) {
            // The counter and the limit are both in [0, 2^31): every order of the test is the signed int compare.
            // It branches back itself (the compare leaves nothing on the stack for the poll to keep): behind a goto,
            // as other backward jumps are, C2 still unrolled the loop but kept its safepoint poll in the body
            // instead of moving it to the strip-mined outer loop (copy_loop: 0.88 of the time without).
            code.iload(COUNTER);
            if (body.loop.testsCopy()) {
                // The latch tests a copy taken before the increment: the counter less one, which C2 folds back into
                // the loop's phi (a counted loop may test the phi as well as the increment).
                code.iconst_m1().iadd();
            }
            immediate(code, insn.imm32()).l2i();
            Label header = body.target(insn.branchTarget(slot));
            if (countsBackwardJumps && insn.displacement() < 0) {
                Label notTaken = code.newLabel();
                CompareAndBranch.countedBranch(code, jump, notTaken, false);
                countBackwardJump(code, slot);
                code.goto_(header);
                code.labelBinding(notTaken);
            } else {
                CompareAndBranch.countedBranch(code, jump, header, true);
            }
        } else if ((cls == JMP || cls == JMP32) && isCondition(jump)) {
            boolean wide = cls == JMP;
            register(code, reg(insn.dst()));
            CompareAndBranch.operand(code, wide);
            if (source(op) == K) {
                immediate(code, insn.imm32());
            } else {
                register(code, reg(insn.src()));
            }
            CompareAndBranch.operand(code, wide);
            Label target = jumpTarget(insn.branchTarget(slot));
            if (insn.offset() < 0) {
                // A loop's safepoint poll sits on its backward branch and keeps what is on the operand stack there
                // alive: a goto after the compare leaves it nothing, where a branch on lcmp's or compareUnsigned's
                // result would make C2 compute that result on every iteration only for the poll's debug info.
                Label notTaken = code.newLabel();
                CompareAndBranch.branch(code, jump, wide, notTaken, false);
                if (countsBackwardJumps) {
                    countBackwardJump(code, slot);
                } else if (iterationLatches.contains(slot)) {
                    // Counted back edge first; past the bound the count starts again (a path C2 finds cold).
                    code.iinc(ITERATIONS, 1).iload(ITERATIONS).loadConstant((ConstantDesc) ITERATION_BOUND)
                            .if_icmplt(target).iconst_0().istore(ITERATIONS);
                }
                code.goto_(target);
                code.labelBinding(notTaken);
            } else {
                CompareAndBranch.branch(code, jump, wide, target, true);
            }
        } else {
            unknownOpcode(code, slot, op);
        }
    }

    private static boolean isCondition(int jump) {
        return switch (jump) {
            case JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE -> true;
            default -> false;
        };
    }

    private static void countBackwardJump(CodeBuilder code, int slot) {
        code.aload(RUN).loadConstant((ConstantDesc) slot)
                .invokevirtual(CD_RUN, "backwardJump", MethodTypeDesc.of(CD_void, CD_int));
    }

    /**
     * Leaves the subprogram with r0 as its result; r1-r5 go back through the run so the caller sees them as the
     * interpreter's would. In a chunk, the registers go to the frame and the split subprogram's method returns them.
     * Whatever ends a subprogram from emitted code must come here: a chunk method returns an entry id, not r0.
     */
    private void emitExit(CodeBuilder code) {
        if (body.plan != null) {
            spillCounter(code);
            code.loadConstant((ConstantDesc) SplitPlan.EXIT).goto_(body.epilogue);
            return;
        }
        for (int r = 1; r <= 5; r++) {
            register(code.aload(RUN), reg(r)).putfield(CD_RUN, "r" + r, CD_long);
        }
        register(code, reg(0)).lreturn();
    }

    /** A JVM call: the callee gets r0-r9 (so it reads what the interpreter's would) and its own r10 from depth. */
    private void emitLocalCall(CodeBuilder code, int slot, int target) {
        code.aload(RUN).aload(RUN).iload(DEPTH).loadConstant((ConstantDesc) slot)
                .invokevirtual(CD_RUN, "enterFrame", MethodTypeDesc.of(CD_int, CD_int, CD_int));
        for (int r = 0; r <= 9; r++) {
            register(code, reg(r));
        }
        methods.invoke(code, owner, methodName(target), SUBPROGRAM_TYPE);
        code.lstore(reg(0));
        for (int r = 1; r <= 5; r++) {
            code.aload(RUN).getfield(CD_RUN, "r" + r, CD_long).lstore(reg(r));
        }
    }

    private void emitHelperCall(CodeBuilder code, int slot, int id) {
        if (emitControlTransfer(code, slot, id)) {
            return;
        }
        var helper = helpers.constant(id);
        if (helper == null) {
            code.aload(RUN).loadConstant((ConstantDesc) (long) id);
            helperArguments(code, slot);
            code.invokestatic(CD_RUNTIME, "callHelperById", HELPER_BY_ID).lstore(reg(0));
            return;
        }
        code.ldc(helper).aload(RUN);
        helperArguments(code, slot);
        code.invokestatic(CD_RUNTIME, "callHelper", MethodTypeDesc.of(CD_long, CD_HELPER, CD_RUN,
                CD_long, CD_long, CD_long, CD_long, CD_long, CD_int)).lstore(reg(0));
        if (PacketDataHelpers.changesPacketData(id)) {
            code.aload(RUN).invokevirtual(CD_RUN, "lookUpPacket", MethodTypeDesc.of(CD_void));
        }
    }

    /**
     * The helpers that transfer control, which the engines dispatch themselves: {@code bpf_tail_call} (a taken call
     * ends the subprogram with the run's {@code tailCallResult}, see {@link org.ebpf4j.runtime.TailCalls}),
     * {@code bpf_loop} and {@code bpf_for_each_map_elem} (callbacks into this program). False for other ids.
     */
    private boolean emitControlTransfer(CodeBuilder code, int slot, int id) {
        if (id == HelperFunction.TAIL_CALL.value()) {
            Label notTaken = code.newLabel();
            code.aload(RUN);
            for (int r = 1; r <= 3; r++) {
                register(code, reg(r));
            }
            code.iload(DEPTH)
                    .loadConstant((ConstantDesc) slot)
                    .invokestatic(CD_RUNTIME, "tailCall", MethodTypeDesc.of(CD_boolean, CD_RUN, CD_long, CD_long,
                            CD_long, CD_int, CD_int))
                    .ifeq(notTaken);
            // Taken: the subprogram ends here with the target's r0 (0 while the call is pending), as an exit would.
            code.aload(RUN).getfield(CD_RUN, "tailCallResult", CD_long).lstore(reg(0));
            emitExit(code);
            code.labelBinding(notTaken);
            return true;
        }
        String method = id == HelperFunction.LOOP.value() ? "loop"
                : id == HelperFunction.FOR_EACH_MAP_ELEM.value() ? "forEachElement" : null;
        if (method == null) {
            return false;
        }
        code.aload(RUN).iload(DEPTH);
        for (int r = 1; r <= 4; r++) {
            register(code, reg(r));
        }
        code.loadConstant((ConstantDesc) slot).invokestatic(CD_RUNTIME, method, MethodTypeDesc.of(CD_long, CD_RUN,
                CD_int, CD_long, CD_long, CD_long, CD_long, CD_int)).lstore(reg(0));
        return true;
    }

    private static final MethodTypeDesc HELPER_BY_ID = MethodTypeDesc.of(CD_long, CD_RUN, CD_long,
            CD_long, CD_long, CD_long, CD_long, CD_long, CD_int);

    private void helperArguments(CodeBuilder code, int slot) {
        for (int r = 1; r <= 5; r++) {
            register(code, reg(r));
        }
        code.loadConstant((ConstantDesc) slot);
    }

    /** callx: a code pointer calls the subprogram it points to; anything else is a helper id (bpf_conformance). */
    private void emitCallx(CodeBuilder code, int slot, int target) {
        Label done = code.newLabel();
        Label helper = code.newLabel();
        Label other = code.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        cases.add(SwitchCase.of(-1, helper));
        Map<Integer, Label> entries = new java.util.TreeMap<>();
        for (int k = 0; k < subprograms.count(); k++) {
            Label l = code.newLabel();
            entries.put(subprograms.start(k), l);
            cases.add(SwitchCase.of(subprograms.start(k), l));
        }
        register(code.aload(RUN), target).loadConstant((ConstantDesc) slot)
                .invokevirtual(CD_RUN, "callxTarget", MethodTypeDesc.of(CD_int, CD_long, CD_int))
                .lookupswitch(other, cases);
        register(code.labelBinding(helper).aload(RUN), target);
        helperArguments(code, slot);
        code.invokestatic(CD_RUNTIME, "callHelperById", HELPER_BY_ID).lstore(reg(0)).goto_(done);
        for (var entry : entries.entrySet()) {
            code.labelBinding(entry.getValue());
            emitLocalCall(code, slot, entry.getKey());
            code.goto_(done);
        }
        register(code.labelBinding(other).loadConstant((ConstantDesc) slot).aload(RUN), target)
                .loadConstant((ConstantDesc) slot)
                .invokevirtual(CD_RUN, "callxTarget", MethodTypeDesc.of(CD_int, CD_long, CD_int))
                .invokestatic(CD_RUNTIME, "callxIntoSubprogram", MethodTypeDesc.of(CD_FAULT, CD_int, CD_int))
                .athrow();
        code.labelBinding(done);
    }

    static void unknownOpcode(CodeBuilder code, int slot, int op) {
        code.loadConstant((ConstantDesc) slot).loadConstant((ConstantDesc) op)
                .invokestatic(CD_RUNTIME, "unknownOpcode", MethodTypeDesc.of(CD_FAULT, CD_int, CD_int))
                .athrow();
    }
}
