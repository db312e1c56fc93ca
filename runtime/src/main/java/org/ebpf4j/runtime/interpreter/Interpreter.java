package org.ebpf4j.runtime.interpreter;

import static org.ebpf4j.isa.Opcode.*;

import org.ebpf4j.isa.Alu;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Condition;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.isa.StructureCheck;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.PacketTooShort;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.TailCalls;
import org.ebpf4j.runtime.helpers.Callback;
import org.ebpf4j.runtime.helpers.CallbackHelpers;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.MapHelpers;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.spec.HelperFunction;

/**
 * The reference interpreter: RFC 9669 semantics, one instruction at a time, every memory access through the
 * invocation's {@link org.ebpf4j.runtime.memory.AddressSpace}.
 *
 * <p>Loading packs each slot into one {@code long} ({@link PackedCode}) so that the dispatch loop reads a single
 * array element per instruction. The structural check at load time guarantees that every jump lands on an
 * instruction and that execution cannot run off the end, so the loop checks neither.
 *
 * <p>An interpreter is immutable and may run on many threads at once, each with its own {@link Invocation}.
 */
public final class Interpreter implements Executable {
    // The helpers the engines dispatch themselves: a tail call replaces the frame, the others call back into it.
    private static final int TAIL_CALL = HelperFunction.TAIL_CALL.value();
    private static final int LOOP = HelperFunction.LOOP.value();
    private static final int FOR_EACH_MAP_ELEM = HelperFunction.FOR_EACH_MAP_ELEM.value();
    private static final int TAIL_CALL_FALLS_THROUGH = 0;
    private static final int TAIL_CALL_PENDING = 1;
    private static final int TAIL_CALL_REPLACED_SUBPROGRAM = 2;

    private final Instructions program;
    private final long[] code;
    private final HelperRegistry helpers;
    private final long backwardJumpLimit;

    private Interpreter(Instructions program, long[] code, HelperRegistry helpers, long backwardJumpLimit) {
        this.program = program;
        this.code = code;
        this.helpers = helpers;
        this.backwardJumpLimit = backwardJumpLimit;
    }

    /**
     * Prepares a program. Fails with {@link InvalidProgramException} when it breaks a structural rule or uses a
     * form that needs a loader this interpreter has not been given (map references, BTF ids, kfunc calls).
     */
    public static Interpreter load(Instructions program, HelperRegistry helpers) {
        return load(program, helpers, Long.MAX_VALUE);
    }

    /**
     * As {@link #load(Instructions, HelperRegistry)}, stopping any run that takes more than
     * {@code backwardJumpLimit} backward jumps: a guard for programs no verifier has proven to terminate.
     */
    public static Interpreter load(Instructions program, HelperRegistry helpers, long backwardJumpLimit) {
        return load(program, helpers, backwardJumpLimit, null);
    }

    /**
     * As {@link #load(Instructions, HelperRegistry, long)}, giving the lddw instructions that refer to maps
     * (BPF_PSEUDO_MAP_FD, _VALUE, _IDX, _IDX_VALUE) their run-time values through {@code maps}: they become plain
     * constants, so the dispatch loop does not change. Without a resolver (null) such programs are refused.
     */
    public static Interpreter load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                   MapResolver maps) {
        StructureCheck.check(program);
        long[] code = PackedCode.pack(program);
        for (int i = 0; i < program.size(); i++) {
            Instruction insn = program.get(i);
            int slot = program.slotOf(i);
            if (isMapReference(insn) && maps != null) {
                code[slot + 1] = maps.resolve(slot, insn.src(), insn.imm());
                continue;
            }
            String unsupported = unsupported(insn);
            if (unsupported != null) {
                throw new InvalidProgramException(slot, unsupported);
            }
        }
        return new Interpreter(program, code, helpers, backwardJumpLimit);
    }

    private static boolean isMapReference(Instruction insn) {
        return insn.isLddw() && switch (insn.src()) {
            case PSEUDO_MAP_FD, PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX, PSEUDO_MAP_IDX_VALUE -> true;
            default -> false;
        };
    }

    private static String unsupported(Instruction insn) {
        if (isMapReference(insn)) {
            return "lddw with src_reg " + insn.src() + " refers to a map: load it with a MapResolver";
        }
        if (insn.isLddw() && insn.src() != PSEUDO_NONE && insn.src() != PSEUDO_FUNC) {
            return "lddw with src_reg " + insn.src() + " refers to a BTF object: load it through a loader";
        }
        if (insn.opcode() == (JMP | CALL) && insn.src() == CALL_KFUNC) {
            return "kernel function calls (kfuncs) are not supported";
        }
        return null;
    }

    public Instructions program() {
        return program;
    }

    /** The packed slots with map references resolved, for {@link CheckedInterpreter}, which runs the same code. */
    long[] packedCode() {
        return code;
    }

    /** Runs with r1 = {@code r1} and r2-r5 = 0. */
    public long run(Invocation invocation, long r1) {
        return run(invocation, r1, 0, 0, 0, 0);
    }

    /**
     * Runs the program, and the programs it tail-calls, to the exit and returns r0. The invocation's inputs must
     * already be mapped; the caller resets it between runs.
     */
    @Override
    public long run(Invocation invocation, long r1, long r2, long r3, long r4, long r5) {
        invocation.beginRun();
        try {
            return TailCalls.finish(invocation, 0, execute(invocation, 0, 0, r1, r2, r3, r4, r5));
        } catch (PacketTooShort e) {
            return 0; // the kernel ends the program with 0 when the packet is too short
        }
    }

    @Override
    public long runFrame(Invocation invocation, int depth, long context) {
        return execute(invocation, depth, 0, context, 0, 0, 0, 0);
    }

    /**
     * Runs from {@code startPc} in a frame at {@code baseDepth} until that frame exits, and returns r0; a tail call
     * made in that frame returns at once, leaving the call pending ({@link TailCalls}).
     */
    private long execute(Invocation invocation, int baseDepth, int startPc, long r1, long r2, long r3, long r4,
                         long r5) {
        // The invocation lends the array, so that a run allocates none. Sixteen entries, as register fields are four
        // bits. C2 now checks each register index against the length (it knows the length only of an array allocated
        // in the method it compiles); paired runs against the allocating version: a run's fixed cost lower, loops
        // within the noise (docs).
        long[] r = invocation.takeRegisters(16);
        try {
            return execute(invocation, r, baseDepth, startPc, r1, r2, r3, r4, r5);
        } finally {
            invocation.giveBackRegisters(r);
        }
    }

    private long execute(Invocation invocation, long[] r, int baseDepth, int startPc, long r1, long r2, long r3,
                         long r4, long r5) {
        CallStack calls = null;
        r[1] = r1;
        r[2] = r2;
        r[3] = r3;
        r[4] = r4;
        r[5] = r5;
        r[10] = Invocation.framePointer(baseDepth);
        var memory = invocation.memory();
        final long[] code = this.code;
        long backwardJumps = backwardJumpLimit;
        int depth = baseDepth;
        int pc = startPc;
        try {
            for (;; pc++) {
                long insn = code[pc];
                int dst = PackedCode.dst(insn);
                int src = PackedCode.src(insn);
                int imm = PackedCode.imm(insn);
                switch (PackedCode.opcode(insn)) {
                    // 64-bit arithmetic.
                    case ALU64 | ADD | K -> r[dst] += imm;
                    case ALU64 | ADD | X -> r[dst] += r[src];
                    case ALU64 | SUB | K -> r[dst] -= imm;
                    case ALU64 | SUB | X -> r[dst] -= r[src];
                    case ALU64 | MUL | K -> r[dst] *= imm;
                    case ALU64 | MUL | X -> r[dst] *= r[src];
                    case ALU64 | DIV | K -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.div64(r[dst], imm) : Alu.sdiv64(r[dst], imm);
                    case ALU64 | DIV | X -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.div64(r[dst], r[src]) : Alu.sdiv64(r[dst], r[src]);
                    case ALU64 | MOD | K -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.mod64(r[dst], imm) : Alu.smod64(r[dst], imm);
                    case ALU64 | MOD | X -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.mod64(r[dst], r[src]) : Alu.smod64(r[dst], r[src]);
                    case ALU64 | OR | K -> r[dst] |= imm;
                    case ALU64 | OR | X -> r[dst] |= r[src];
                    case ALU64 | AND | K -> r[dst] &= imm;
                    case ALU64 | AND | X -> r[dst] &= r[src];
                    case ALU64 | XOR | K -> r[dst] ^= imm;
                    case ALU64 | XOR | X -> r[dst] ^= r[src];
                    case ALU64 | LSH | K -> r[dst] = Alu.lsh64(r[dst], imm);
                    case ALU64 | LSH | X -> r[dst] = Alu.lsh64(r[dst], r[src]);
                    case ALU64 | RSH | K -> r[dst] = Alu.rsh64(r[dst], imm);
                    case ALU64 | RSH | X -> r[dst] = Alu.rsh64(r[dst], r[src]);
                    case ALU64 | ARSH | K -> r[dst] = Alu.arsh64(r[dst], imm);
                    case ALU64 | ARSH | X -> r[dst] = Alu.arsh64(r[dst], r[src]);
                    case ALU64 | NEG -> r[dst] = -r[dst];
                    case ALU64 | MOV | K -> r[dst] = imm;
                    case ALU64 | MOV | X -> {
                        int bits = PackedCode.offset(insn);
                        r[dst] = bits == 0 ? r[src] : Alu.signExtend(r[src], bits);
                    }
                    case ALU64 | END -> r[dst] = Alu.byteSwap(r[dst], imm);

                    // 32-bit arithmetic: operands are the low halves, results are zero-extended.
                    case ALU | ADD | K -> r[dst] = Alu.zext32(r[dst] + imm);
                    case ALU | ADD | X -> r[dst] = Alu.zext32(r[dst] + r[src]);
                    case ALU | SUB | K -> r[dst] = Alu.zext32(r[dst] - imm);
                    case ALU | SUB | X -> r[dst] = Alu.zext32(r[dst] - r[src]);
                    case ALU | MUL | K -> r[dst] = Alu.zext32(r[dst] * imm);
                    case ALU | MUL | X -> r[dst] = Alu.zext32(r[dst] * r[src]);
                    case ALU | DIV | K -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.div32(r[dst], imm) : Alu.sdiv32(r[dst], imm);
                    case ALU | DIV | X -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.div32(r[dst], r[src]) : Alu.sdiv32(r[dst], r[src]);
                    case ALU | MOD | K -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.mod32(r[dst], imm) : Alu.smod32(r[dst], imm);
                    case ALU | MOD | X -> r[dst] = PackedCode.offset(insn) == 0
                            ? Alu.mod32(r[dst], r[src]) : Alu.smod32(r[dst], r[src]);
                    case ALU | OR | K -> r[dst] = Alu.zext32(r[dst] | imm);
                    case ALU | OR | X -> r[dst] = Alu.zext32(r[dst] | r[src]);
                    case ALU | AND | K -> r[dst] = Alu.zext32(r[dst] & imm);
                    case ALU | AND | X -> r[dst] = Alu.zext32(r[dst] & r[src]);
                    case ALU | XOR | K -> r[dst] = Alu.zext32(r[dst] ^ imm);
                    case ALU | XOR | X -> r[dst] = Alu.zext32(r[dst] ^ r[src]);
                    case ALU | LSH | K -> r[dst] = Alu.lsh32(r[dst], imm);
                    case ALU | LSH | X -> r[dst] = Alu.lsh32(r[dst], r[src]);
                    case ALU | RSH | K -> r[dst] = Alu.rsh32(r[dst], imm);
                    case ALU | RSH | X -> r[dst] = Alu.rsh32(r[dst], r[src]);
                    case ALU | ARSH | K -> r[dst] = Alu.arsh32(r[dst], imm);
                    case ALU | ARSH | X -> r[dst] = Alu.arsh32(r[dst], r[src]);
                    case ALU | NEG -> r[dst] = Alu.zext32(-r[dst]);
                    case ALU | MOV | K -> r[dst] = Alu.zext32(imm);
                    case ALU | MOV | X -> {
                        int bits = PackedCode.offset(insn);
                        r[dst] = Alu.zext32(bits == 0 ? r[src] : Alu.signExtend(r[src], bits));
                    }
                    case ALU | END | TO_LE -> r[dst] = Alu.toLittleEndian(r[dst], imm);
                    case ALU | END | TO_BE -> r[dst] = Alu.byteSwap(r[dst], imm);

                    // Loads and stores.
                    case LDDW -> {
                        r[dst] = src == PSEUDO_FUNC ? Pointer.code(pc + 1 + imm) : code[pc + 1];
                        pc++;
                    }
                    case LDX | MEM | B -> r[dst] = memory.load(r[src] + PackedCode.offset(insn), 1);
                    case LDX | MEM | H -> r[dst] = memory.load(r[src] + PackedCode.offset(insn), 2);
                    case LDX | MEM | W -> r[dst] = memory.load(r[src] + PackedCode.offset(insn), 4);
                    case LDX | MEM | DW -> r[dst] = memory.load(r[src] + PackedCode.offset(insn), 8);
                    case LDX | MEMSX | B -> r[dst] = (byte) memory.load(r[src] + PackedCode.offset(insn), 1);
                    case LDX | MEMSX | H -> r[dst] = (short) memory.load(r[src] + PackedCode.offset(insn), 2);
                    case LDX | MEMSX | W -> r[dst] = (int) memory.load(r[src] + PackedCode.offset(insn), 4);
                    case ST | MEM | B -> memory.store(r[dst] + PackedCode.offset(insn), 1, imm);
                    case ST | MEM | H -> memory.store(r[dst] + PackedCode.offset(insn), 2, imm);
                    case ST | MEM | W -> memory.store(r[dst] + PackedCode.offset(insn), 4, imm);
                    case ST | MEM | DW -> memory.store(r[dst] + PackedCode.offset(insn), 8, imm);
                    case STX | MEM | B -> memory.store(r[dst] + PackedCode.offset(insn), 1, r[src]);
                    case STX | MEM | H -> memory.store(r[dst] + PackedCode.offset(insn), 2, r[src]);
                    case STX | MEM | W -> memory.store(r[dst] + PackedCode.offset(insn), 4, r[src]);
                    case STX | MEM | DW -> memory.store(r[dst] + PackedCode.offset(insn), 8, r[src]);
                    case STX | ATOMIC | W -> atomic(memory, r, dst, src, PackedCode.offset(insn), imm, 4);
                    case STX | ATOMIC | DW -> atomic(memory, r, dst, src, PackedCode.offset(insn), imm, 8);
                    case LD | ABS | B, LD | ABS | H, LD | ABS | W, LD | IND | B, LD | IND | H, LD | IND | W -> {
                        long base = mode(PackedCode.opcode(insn)) == IND ? r[src] : 0;
                        long value = legacyPacketLoad(invocation, base + imm, sizeBytes(PackedCode.opcode(insn)));
                        if (value < 0) {
                            if (baseDepth == 0) {
                                return 0; // the kernel ends the program with 0 when the packet is too short
                            }
                            throw PacketTooShort.INSTANCE; // from any frame
                        }
                        r[0] = value;
                    }

                    // Jumps.
                    case JMP | JA -> {
                        int off = PackedCode.offset(insn);
                        if (off < 0 && --backwardJumps < 0) {
                            throw limitReached(pc);
                        }
                        pc += off;
                    }
                    case JMP32 | JA -> {
                        if (imm < 0 && --backwardJumps < 0) {
                            throw limitReached(pc);
                        }
                        pc += imm;
                    }
                    case JMP | JEQ | K, JMP | JGT | K, JMP | JGE | K, JMP | JSET | K, JMP | JNE | K, JMP | JSGT | K,
                         JMP | JSGE | K, JMP | JLT | K, JMP | JLE | K, JMP | JSLT | K, JMP | JSLE | K,
                         JMP | JEQ | X, JMP | JGT | X, JMP | JGE | X, JMP | JSET | X, JMP | JNE | X, JMP | JSGT | X,
                         JMP | JSGE | X, JMP | JLT | X, JMP | JLE | X, JMP | JSLT | X, JMP | JSLE | X,
                         JMP32 | JEQ | K, JMP32 | JGT | K, JMP32 | JGE | K, JMP32 | JSET | K, JMP32 | JNE | K,
                         JMP32 | JSGT | K, JMP32 | JSGE | K, JMP32 | JLT | K, JMP32 | JLE | K, JMP32 | JSLT | K,
                         JMP32 | JSLE | K,
                         JMP32 | JEQ | X, JMP32 | JGT | X, JMP32 | JGE | X, JMP32 | JSET | X, JMP32 | JNE | X,
                         JMP32 | JSGT | X, JMP32 | JSGE | X, JMP32 | JLT | X, JMP32 | JLE | X, JMP32 | JSLT | X,
                         JMP32 | JSLE | X -> {
                        int opcode = PackedCode.opcode(insn);
                        long operand = source(opcode) == K ? imm : r[src];
                        boolean taken = opClass(opcode) == JMP
                                ? Condition.test64(code(opcode), r[dst], operand)
                                : Condition.test32(code(opcode), r[dst], operand);
                        if (taken) {
                            int off = PackedCode.offset(insn);
                            if (off < 0 && --backwardJumps < 0) {
                                throw limitReached(pc);
                            }
                            pc += off;
                        }
                    }

                    // Calls and exit.
                    case JMP | CALL -> {
                        if (src == CALL_LOCAL) {
                            calls = calls != null ? calls : new CallStack();
                            depth = calls.enter(invocation, r, depth, pc);
                            pc += imm;
                        } else if (imm == TAIL_CALL) {
                            int outcome = tailCall(invocation, r, depth, baseDepth);
                            if (outcome == TAIL_CALL_PENDING) {
                                return 0;
                            }
                            if (outcome == TAIL_CALL_REPLACED_SUBPROGRAM) {
                                pc = calls.leave(r, depth);
                                depth--;
                            }
                        } else if (imm == LOOP || imm == FOR_EACH_MAP_ELEM) {
                            r[0] = callbackHelper(invocation, r, depth, imm);
                        } else {
                            r[0] = callHelper(invocation, r, imm);
                        }
                    }
                    case JMP | CALL | X -> {
                        long target = r[dst];
                        if (Pointer.isCode(target)) {
                            int slot = Pointer.offset(target);
                            if (!program.startsInstruction(slot)) {
                                throw new ProgramFault(pc, "callx to " + Pointer.format(target)
                                        + ", which is not an instruction of this program");
                            }
                            calls = calls != null ? calls : new CallStack();
                            depth = calls.enter(invocation, r, depth, pc);
                            pc = slot - 1;
                        } else {
                            // bpf_conformance's convention: a callx target that is no code address is a helper id.
                            r[0] = callHelper(invocation, r, target);
                        }
                    }
                    case JMP | EXIT -> {
                        if (depth == baseDepth) {
                            return r[0];
                        }
                        pc = calls.leave(r, depth);
                        depth--;
                    }
                    default -> throw new ProgramFault(pc, String.format("unknown opcode 0x%02x",
                            PackedCode.opcode(insn)));
                }
            }
        } catch (MemoryAccessException e) {
            throw new ProgramFault(pc, e.getMessage());
        } catch (RunFault e) {
            throw new ProgramFault(pc, e.getMessage());
        }
    }

    /**
     * {@code bpf_tail_call} made at {@code depth}: {@link #TAIL_CALL_FALLS_THROUGH}; {@link #TAIL_CALL_PENDING} in the
     * frame's base (the caller returns, {@link TailCalls#finish} runs the target); or
     * {@link #TAIL_CALL_REPLACED_SUBPROGRAM}, r0 holding the target's result (the caller leaves the subprogram).
     */
    private static int tailCall(Invocation invocation, long[] r, int depth, int baseDepth) {
        Executable target = MapHelpers.tailCallTarget(invocation, r[2], r[3]);
        if (target == null) {
            return TAIL_CALL_FALLS_THROUGH;
        }
        if (depth == baseDepth) {
            invocation.requestTailCall(target, r[1]);
            return TAIL_CALL_PENDING;
        }
        invocation.countTailCall();
        r[0] = TailCalls.replaceSubprogram(invocation, target, depth, r[1]);
        return TAIL_CALL_REPLACED_SUBPROGRAM;
    }

    /** {@code bpf_loop} or {@code bpf_for_each_map_elem}, their callback (r2) run by this interpreter. */
    private long callbackHelper(Invocation invocation, long[] r, int depth, int id) {
        long fn = r[2];
        Callback callback = (a1, a2, a3, a4, a5) -> callback(invocation, depth, fn, a1, a2, a3, a4, a5);
        return id == LOOP ? CallbackHelpers.loop(r[1], r[3], r[4], callback)
                : MapHelpers.forEachElement(invocation, r[1], r[3], r[4], callback);
    }

    /**
     * Calls the subprogram at code pointer {@code fn} for a helper, in a new frame below {@code callerDepth}; a
     * tail call in the callback replaces the callback's frame.
     */
    private long callback(Invocation invocation, int callerDepth, long fn, long r1, long r2, long r3, long r4,
                          long r5) {
        int slot = Pointer.offset(fn);
        if (!Pointer.isCode(fn) || !program.startsInstruction(slot)) {
            throw new RunFault("callback " + Pointer.format(fn) + " is not an instruction of this program");
        }
        int depth = callerDepth + 1;
        if (depth >= Invocation.MAX_FRAMES) {
            throw new RunFault("call stack is too deep: " + Invocation.MAX_FRAMES + " frames at most");
        }
        invocation.noteFrame(depth);
        return TailCalls.finish(invocation, depth, execute(invocation, depth, slot, r1, r2, r3, r4, r5));
    }

    private long callHelper(Invocation invocation, long[] r, long id) {
        Helper helper = helpers.get(id);
        if (helper == null) {
            throw new RunFault("unknown helper function " + id);
        }
        return helper.call(invocation, r[1], r[2], r[3], r[4], r[5]);
    }

    private static void atomic(AddressSpace memory, long[] r, int dst, int src,
                               int offset, int imm, int size) {
        long address = r[dst] + offset;
        AtomicOp op = AtomicOp.of(imm);
        if (op == AtomicOp.CMPXCHG) {
            r[0] = memory.compareAndExchange(address, size, r[0], r[src]);
            return;
        }
        long old = memory.atomic(address, size, op, r[src]);
        if (AtomicOp.fetches(imm)) {
            r[src] = old;
        }
    }

    private ProgramFault limitReached(int pc) {
        return new ProgramFault(pc, "stopped after " + backwardJumpLimit + " backward jumps");
    }

    /** A fault raised below the dispatch loop (or the JIT's code); the caller adds the instruction index. */
    public static final class RunFault extends RuntimeException {
        RunFault(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * LD_ABS and LD_IND: a big-endian load from the invocation's packet, or -1 (no 1-4 byte value can be that)
     * when the packet is too short. Shared with the JIT, so both engines read packets one way.
     */
    public static long legacyPacketLoad(Invocation invocation, long offset, int size) {
        long packet = invocation.packet();
        Region region = invocation.memory().region(packet);
        if (region == null) {
            throw new RunFault("legacy packet load (LD_ABS/LD_IND) without a packet");
        }
        // The packet pointer may start inside its region (a socket filter's packet starts after the Ethernet header).
        if (offset < 0 || offset > region.length() - Pointer.offset(packet) - size) {
            return -1;
        }
        long value = invocation.memory().load(packet + offset, size);
        return switch (size) {
            case 1 -> value;
            case 2 -> Alu.byteSwap(value, 16);
            default -> Alu.byteSwap(value, 32);
        };
    }
}
