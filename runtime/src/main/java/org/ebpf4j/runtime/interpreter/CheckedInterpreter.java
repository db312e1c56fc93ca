package org.ebpf4j.runtime.interpreter;

import static org.ebpf4j.isa.Opcode.*;

import java.util.Arrays;
import java.util.List;
import org.ebpf4j.isa.Alu;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Condition;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.helpers.Helper;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.maps.JvmMap;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.helper.ArgSpec;
import org.ebpf4j.spec.helper.ArgType;
import org.ebpf4j.spec.helper.HelperPrototype;
import org.ebpf4j.spec.helper.HelperPrototypes;
import org.ebpf4j.spec.helper.TypeFlag;

/**
 * The interpreter's semantics with the verifier's promises checked at run time: a program the verifier accepted
 * must never read a register before writing it, never fault on memory or reach past a map value into the next
 * ({@link MapValues}), and never run more instructions than the verifier processed (every concrete path is one of
 * the paths it walked, or pruned into one it had finished). A
 * broken promise is a {@link ProgramFault} whose reason starts with {@link #VIOLATION}; memory faults keep the
 * interpreter's reasons. Used by the soundness fuzzer; a separate class, so the reference interpreter's loop pays
 * nothing for it.
 *
 * <p>Which uninitialised reads are bugs: a register read before any write always is (the kernel refuses
 * {@code R%d !read_ok} for every loader), as is exiting the main program with r0 unset (a subprogram's unset r0
 * becomes the caller's) and reading r1-r5 after a call (the callee
 * or helper clobbered them). Stack bytes differ by privilege: the kernel lets privileged programs read stack bytes
 * they never wrote ({@code allow_uninit_stack}: the values are whatever the stack held, unknown numbers to the
 * verifier), so under {@link UninitializedStack#ALLOWED} such reads are not checked; for unprivileged programs,
 * {@link UninitializedStack#FORBIDDEN}, a program load or a helper's read of an unwritten stack byte is a bug. Bytes
 * count as written after a program store or atomic, and after a helper call that writes them (MEM_UNINIT or
 * MEM_WRITE arguments).
 *
 * <p>Not followed: tail calls, {@code bpf_loop} and {@code bpf_for_each_map_elem} callbacks, and {@code callx}
 * (an {@link UnsupportedOperationException} naming the instruction): ebpf4j's verifier does not accept callbacks or
 * {@code callx}, and a tail call's target is another program with its own budget.
 */
public final class CheckedInterpreter implements Executable {
    /** The start of every violation's reason. */
    public static final String VIOLATION = "unsound: ";

    /** Whether reading a stack byte that was never written is a violation. */
    public enum UninitializedStack {
        /** Privileged programs: the kernel allows the read (allow_uninit_stack), so it is not checked. */
        ALLOWED,
        /** Unprivileged programs: the read is a violation. */
        FORBIDDEN
    }

    private static final int STACK_FRAMES = Invocation.MAX_FRAMES;
    private static final int FIRST_FRAME_ID = Pointer.regionId(Invocation.framePointer(0));
    private static final int CALLER_SAVED = 0b11_1110; // r1-r5
    private static final int CALLEE_SAVED = 0b11_1100_0000; // r6-r9
    private static final int FRAME_POINTER = 1 << 10;

    /**
     * The value memory of a map, one region of values {@code stride} bytes apart: a program access must stay inside
     * one value (the verifier's check_map_access), which the region's own bounds do not show, since the
     * neighbouring values are mapped too.
     */
    public record MapValues(String map, int regionId, int stride, int valueSize) {}

    private final Instructions program;
    private final long[] code;
    private final HelperRegistry helpers;
    private final long instructionBudget;
    private final UninitializedStack stackPolicy;
    private final List<MapValues> mapValues;

    private CheckedInterpreter(Instructions program, long[] code, HelperRegistry helpers, long instructionBudget,
                               UninitializedStack stackPolicy, List<MapValues> mapValues) {
        this.program = program;
        this.code = code;
        this.helpers = helpers;
        this.instructionBudget = instructionBudget;
        this.stackPolicy = stackPolicy;
        this.mapValues = List.copyOf(mapValues);
    }

    /**
     * Prepares a program as {@link Interpreter#load(Instructions, HelperRegistry, long, MapResolver)} does (the same
     * structural checks and map resolution); a run that executes more than {@code instructionBudget} instructions
     * (the verifier's processed count) is a violation.
     */
    public static CheckedInterpreter load(Instructions program, HelperRegistry helpers, MapResolver maps,
                                          long instructionBudget, UninitializedStack stackPolicy) {
        return load(program, helpers, maps, instructionBudget, stackPolicy, List.of());
    }

    /** As the other {@code load}, also checking that every access to these maps' values stays inside one value. */
    public static CheckedInterpreter load(Instructions program, HelperRegistry helpers, MapResolver maps,
                                          long instructionBudget, UninitializedStack stackPolicy,
                                          List<MapValues> mapValues) {
        Interpreter reference = Interpreter.load(program, helpers, Long.MAX_VALUE, maps);
        return new CheckedInterpreter(program, reference.packedCode(), helpers, instructionBudget, stackPolicy,
                mapValues);
    }

    public Instructions program() {
        return program;
    }

    @Override
    public long run(Invocation invocation, long r1, long r2, long r3, long r4, long r5) {
        invocation.beginRun();
        return new Run(invocation).execute(r1, r2, r3, r4, r5);
    }

    @Override
    public long runFrame(Invocation invocation, int depth, long context) {
        throw new UnsupportedOperationException("the checked interpreter does not run tail-call targets");
    }

    /** One run's concrete state and its shadow: which registers and stack bytes hold written values. */
    private final class Run {
        private final Invocation invocation;
        private final AddressSpace memory;
        private final long[] r = new long[16];
        /** Bit n: rn holds a written value. */
        private int written;
        private final boolean[] stackWritten = new boolean[STACK_FRAMES * Invocation.STACK_SIZE];
        /** Per call depth: the caller's r6-r9, their written bits, and the slot of the call. */
        private final long[] savedRegisters = new long[STACK_FRAMES * 4];
        private final int[] savedWritten = new int[STACK_FRAMES];
        private final int[] returnSlots = new int[STACK_FRAMES];
        private long executed;

        Run(Invocation invocation) {
            this.invocation = invocation;
            this.memory = invocation.memory();
        }

        long execute(long r1, long r2, long r3, long r4, long r5) {
            r[1] = r1;
            r[2] = r2;
            r[3] = r3;
            r[4] = r4;
            r[5] = r5;
            r[10] = Invocation.framePointer(0);
            written = 1 << 1 | FRAME_POINTER; // the verifier's entry state: r1 (the context) and r10
            int depth = 0;
            int pc = 0;
            try {
                for (;; pc++) {
                    if (++executed > instructionBudget) {
                        throw violation(pc, "ran more than " + instructionBudget
                                + " instructions, the verifier's processed count");
                    }
                    long insn = code[pc];
                    int opcode = PackedCode.opcode(insn);
                    int dst = PackedCode.dst(insn);
                    int src = PackedCode.src(insn);
                    int imm = PackedCode.imm(insn);
                    int off = PackedCode.offset(insn);
                    switch (opClass(opcode)) {
                        case ALU, ALU64 -> alu(pc, opcode, dst, src, imm, off);
                        case LD -> {
                            if (opcode == LDDW) {
                                r[dst] = src == PSEUDO_FUNC ? Pointer.code(pc + 1 + imm) : code[pc + 1];
                                written |= 1 << dst;
                                pc++;
                            } else if (legacyPacketLoad(pc, opcode, src, imm)) {
                                return 0; // the kernel ends the program with 0 when the packet is too short
                            }
                        }
                        case LDX -> {
                            long address = read(pc, src) + off;
                            int size = sizeBytes(opcode);
                            long value = memory.load(address, size);
                            checkStackRead(pc, address, size);
                            checkMapValue(pc, address, size);
                            r[dst] = switch (mode(opcode)) {
                                case MEMSX -> Alu.signExtend(value, size * 8);
                                default -> value;
                            };
                            written |= 1 << dst;
                        }
                        case ST -> store(pc, read(pc, dst) + off, sizeBytes(opcode), imm);
                        case STX -> {
                            long address = read(pc, dst) + off;
                            if (mode(opcode) == ATOMIC) {
                                atomic(pc, address, sizeBytes(opcode), src, imm);
                            } else {
                                store(pc, address, sizeBytes(opcode), read(pc, src));
                            }
                        }
                        case JMP, JMP32 -> {
                            int op = code(opcode);
                            if (op == EXIT) {
                                if (depth == 0) {
                                    return read(pc, 0);
                                }
                                // A static subprogram may return r0 unset: the caller's r0 is then unset too
                                // (prepare_func_exit copies the callee's NOT_INIT r0), an error only if read.
                                pc = leave(depth--);
                            } else if (op == CALL) {
                                if (source(opcode) == X) {
                                    throw new UnsupportedOperationException("insn " + pc
                                            + ": the checked interpreter does not follow callx");
                                }
                                if (src == CALL_LOCAL) {
                                    depth = enter(pc, depth);
                                    pc += imm;
                                } else {
                                    callHelper(pc, imm);
                                }
                            } else if (op == JA) {
                                pc += opClass(opcode) == JMP ? off : imm;
                            } else {
                                long a = read(pc, dst);
                                long b = source(opcode) == K ? imm : read(pc, src);
                                boolean taken = opClass(opcode) == JMP ? Condition.test64(op, a, b)
                                        : Condition.test32(op, a, b);
                                if (taken) {
                                    pc += off;
                                }
                            }
                        }
                        default -> throw new ProgramFault(pc, String.format("unknown opcode 0x%02x", opcode));
                    }
                }
            } catch (MemoryAccessException | Interpreter.RunFault e) {
                throw new ProgramFault(pc, e.getMessage());
            }
        }

        private void alu(int pc, int opcode, int dst, int src, int imm, int off) {
            boolean wide = opClass(opcode) == ALU64;
            int op = code(opcode);
            long operand = source(opcode) == K || op == NEG || op == END ? imm : read(pc, src);
            long value = op == MOV ? 0 : read(pc, dst);
            r[dst] = switch (op) {
                case ADD -> wide ? value + operand : Alu.zext32(value + operand);
                case SUB -> wide ? value - operand : Alu.zext32(value - operand);
                case MUL -> wide ? value * operand : Alu.zext32(value * operand);
                case DIV -> wide ? (off == 0 ? Alu.div64(value, operand) : Alu.sdiv64(value, operand))
                        : (off == 0 ? Alu.div32(value, operand) : Alu.sdiv32(value, operand));
                case MOD -> wide ? (off == 0 ? Alu.mod64(value, operand) : Alu.smod64(value, operand))
                        : (off == 0 ? Alu.mod32(value, operand) : Alu.smod32(value, operand));
                case OR -> wide ? value | operand : Alu.zext32(value | operand);
                case AND -> wide ? value & operand : Alu.zext32(value & operand);
                case XOR -> wide ? value ^ operand : Alu.zext32(value ^ operand);
                case LSH -> wide ? Alu.lsh64(value, operand) : Alu.lsh32(value, operand);
                case RSH -> wide ? Alu.rsh64(value, operand) : Alu.rsh32(value, operand);
                case ARSH -> wide ? Alu.arsh64(value, operand) : Alu.arsh32(value, operand);
                case NEG -> wide ? -value : Alu.zext32(-value);
                case MOV -> {
                    long moved = off == 0 ? operand : Alu.signExtend(operand, off);
                    yield wide ? moved : Alu.zext32(moved);
                }
                case END -> wide ? Alu.byteSwap(value, imm)
                        : source(opcode) == TO_LE ? Alu.toLittleEndian(value, imm) : Alu.byteSwap(value, imm);
                default -> throw new ProgramFault(pc, String.format("unknown opcode 0x%02x", opcode));
            };
            written |= 1 << dst;
        }

        /** LD_ABS/LD_IND; true when the packet is too short (the run ends with 0). */
        private boolean legacyPacketLoad(int pc, int opcode, int src, int imm) {
            read(pc, 6); // the kernel requires the context in r6
            long base = mode(opcode) == IND ? read(pc, src) : 0;
            long value = Interpreter.legacyPacketLoad(invocation, base + imm, sizeBytes(opcode));
            if (value < 0) {
                return true;
            }
            r[0] = value;
            written = written & ~CALLER_SAVED | 1;
            return false;
        }

        private void store(int pc, long address, int size, long value) {
            memory.store(address, size, value);
            markStack(address, size);
            checkMapValue(pc, address, size);
        }

        private void atomic(int pc, long address, int size, int src, int imm) {
            AtomicOp op = AtomicOp.of(imm);
            long operand = read(pc, src);
            if (op == AtomicOp.CMPXCHG) {
                long expected = read(pc, 0);
                r[0] = memory.compareAndExchange(address, size, expected, operand);
                written |= 1;
            } else {
                long old = memory.atomic(address, size, op, operand);
                if (AtomicOp.fetches(imm)) {
                    r[src] = old;
                }
            }
            checkStackRead(pc, address, size);
            markStack(address, size);
            checkMapValue(pc, address, size);
        }

        private int enter(int pc, int depth) {
            int callee = depth + 1;
            if (callee >= STACK_FRAMES) {
                throw new Interpreter.RunFault("call stack is too deep: " + STACK_FRAMES + " frames at most");
            }
            System.arraycopy(r, 6, savedRegisters, callee * 4, 4);
            savedWritten[callee] = written;
            returnSlots[callee] = pc;
            r[10] = Invocation.framePointer(callee);
            invocation.noteFrame(callee);
            Arrays.fill(stackWritten, callee * Invocation.STACK_SIZE,
                    (callee + 1) * Invocation.STACK_SIZE, false);
            // The callee sees r1-r5 as the caller left them; r6-r9 are its own, unwritten (the kernel's NOT_INIT).
            written &= ~CALLEE_SAVED & ~1;
            return callee;
        }

        private int leave(int depth) {
            System.arraycopy(savedRegisters, depth * 4, r, 6, 4);
            r[10] = Invocation.framePointer(depth - 1);
            // r0 is the result (written or not, as the callee left it), r1-r5 are clobbered, r6-r10 are the
            // caller's again.
            written = savedWritten[depth] & ~CALLER_SAVED & ~1 | (written & 1);
            return returnSlots[depth];
        }

        private void callHelper(int pc, int id) {
            if (id == HelperFunction.TAIL_CALL.value() || id == HelperFunction.LOOP.value()
                    || id == HelperFunction.FOR_EACH_MAP_ELEM.value()) {
                throw new UnsupportedOperationException("insn " + pc + ": the checked interpreter does not follow "
                        + HelperFunction.require(id).kernelName());
            }
            HelperPrototype prototype = HelperFunction.of(id).flatMap(HelperPrototypes::of).orElse(null);
            if (prototype != null) {
                checkArguments(pc, prototype);
            }
            Helper helper = helpers.get(id);
            if (helper == null) {
                throw new Interpreter.RunFault("unknown helper function " + id);
            }
            r[0] = helper.call(invocation, r[1], r[2], r[3], r[4], r[5]);
            if (prototype != null) {
                markHelperWrites(prototype);
            }
            written = written & ~CALLER_SAVED | 1;
        }

        private void checkArguments(int pc, HelperPrototype prototype) {
            for (int n = 1; n <= prototype.argCount(); n++) {
                read(pc, n);
                ArgSpec arg = prototype.arg(n);
                if (!arg.has(TypeFlag.MEM_UNINIT)) {
                    int size = memorySize(prototype, n);
                    if (size > 0) {
                        checkStackRead(pc, r[n], size);
                    }
                }
            }
        }

        private void markHelperWrites(HelperPrototype prototype) {
            for (int n = 1; n <= prototype.argCount(); n++) {
                ArgSpec arg = prototype.arg(n);
                if (arg.has(TypeFlag.MEM_UNINIT) || arg.has(TypeFlag.MEM_WRITE)) {
                    int size = memorySize(prototype, n);
                    if (size > 0) {
                        markStack(r[n], size);
                    }
                }
            }
        }

        /** The bytes a memory argument covers, or 0 when it is no memory argument. */
        private int memorySize(HelperPrototype prototype, int n) {
            ArgSpec arg = prototype.arg(n);
            return switch (arg.type()) {
                case PTR_TO_MEM -> arg.has(TypeFlag.MEM_FIXED_SIZE) ? arg.fixedSize()
                        : n < HelperPrototype.MAX_ARGS && prototype.arg(n + 1).isSize()
                        ? (int) Math.min(r[n + 1], Integer.MAX_VALUE) : 0;
                case PTR_TO_MAP_KEY -> map(prototype, n) == null ? 0 : map(prototype, n).keySize();
                case PTR_TO_MAP_VALUE -> map(prototype, n) == null ? 0 : map(prototype, n).valueSize();
                default -> 0;
            };
        }

        /** The map of the CONST_MAP_PTR argument before argument {@code n}. */
        private JvmMap map(HelperPrototype prototype, int n) {
            for (int m = n - 1; m >= 1; m--) {
                if (prototype.arg(m).type() == ArgType.CONST_MAP_PTR) {
                    try {
                        return JvmMap.ofHandle(r[m]);
                    } catch (RuntimeException e) {
                        return null; // the helper itself reports a bad handle
                    }
                }
            }
            return null;
        }

        private long read(int pc, int register) {
            if ((written & 1 << register) == 0) {
                throw violation(pc, "R" + register + " read before it was written (the verifier's !read_ok)");
            }
            return r[register];
        }

        /** The index of a stack byte in {@link #stackWritten}, or -1 when the address is not on a stack frame. */
        private int stackIndex(long address) {
            int frame = Pointer.regionId(address) - FIRST_FRAME_ID;
            int offset = Pointer.offset(address);
            if (frame < 0 || frame >= STACK_FRAMES || offset < 0 || offset >= Invocation.STACK_SIZE) {
                return -1;
            }
            return frame * Invocation.STACK_SIZE + offset;
        }

        private void markStack(long address, int size) {
            for (int i = 0; i < size; i++) {
                int at = stackIndex(address + i);
                if (at >= 0) {
                    stackWritten[at] = true;
                }
            }
        }

        private void checkStackRead(int pc, long address, int size) {
            if (stackPolicy == UninitializedStack.ALLOWED) {
                return;
            }
            for (int i = 0; i < size; i++) {
                int at = stackIndex(address + i);
                if (at >= 0 && !stackWritten[at]) {
                    throw violation(pc, "read of stack byte " + Pointer.format(address + i)
                            + " before it was written");
                }
            }
        }

        private void checkMapValue(int pc, long address, int size) {
            int region = Pointer.regionId(address);
            for (MapValues values : mapValues) {
                if (values.regionId() == region) {
                    int offset = Pointer.offset(address) % values.stride();
                    if (offset + size > values.valueSize()) {
                        throw violation(pc, "access of " + size + " bytes at offset " + offset + " of a value of map '"
                                + values.map() + "' (value_size " + values.valueSize() + ")");
                    }
                }
            }
        }

        private ProgramFault violation(int pc, String what) {
            return new ProgramFault(pc, VIOLATION + what);
        }
    }
}
