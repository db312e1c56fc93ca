package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.*;
import static org.ebpf4j.isa.Opcode.*;
import static org.ebpf4j.runtime.jit.MethodEmitter.CD_MEMORY;
import static org.ebpf4j.runtime.jit.MethodEmitter.CD_RUN;
import static org.ebpf4j.runtime.jit.MethodEmitter.CD_RUNTIME;
import static org.ebpf4j.runtime.jit.MethodEmitter.FRAME_TOP;
import static org.ebpf4j.runtime.jit.MethodEmitter.MEMORY;
import static org.ebpf4j.runtime.jit.MethodEmitter.R10;
import static org.ebpf4j.runtime.jit.MethodEmitter.RUN;
import static org.ebpf4j.runtime.jit.MethodEmitter.STACK;
import static org.ebpf4j.runtime.jit.MethodEmitter.reg;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.MethodTypeDesc;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.verifier.facts.AccessFact;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;

/**
 * Emits loads, stores and atomics: what the verifier's facts (and {@link FramePointerAccesses}) prove about an access
 * picks a {@link DirectAccess} method, which indexes the stack, packet or context array itself; any other access
 * goes through {@link JitRuntime} and the region table, whose faults are the interpreter's.
 */
final class MemoryEmitter {
    static final ClassDesc CD_BYTES = CD_byte.arrayType();
    private static final ClassDesc CD_DIRECT = ClassDesc.of(DirectAccess.class.getName());
    private static final ClassDesc CD_ATOMIC_OP = ClassDesc.of(AtomicOp.class.getName());

    private final Operands operands;
    private final AccessFacts facts;

    MemoryEmitter(Operands operands, AccessFacts facts) {
        this.operands = operands;
        this.facts = facts;
    }

    /** LDX MEM, and LDX MEMSX of 1, 2 or 4 bytes: the loads through a register and an offset. */
    static boolean isPlainLoad(int op) {
        return opClass(op) == LDX && (mode(op) == MEM || (mode(op) == MEMSX && sizeBytes(op) != 8));
    }

    /** ST and STX MEM: the stores through a register and an offset (STX ATOMIC is the other STX form). */
    static boolean isPlainStore(int op) {
        return mode(op) == MEM && (opClass(op) == ST || opClass(op) == STX);
    }

    /** An LDX, ST or STX instruction. */
    void emit(CodeBuilder code, int slot, Instruction insn) {
        int op = insn.opcode();
        int size = sizeBytes(op);
        int cls = opClass(op);
        int mode = mode(op);
        int base = reg(cls == LDX ? insn.src() : insn.dst());
        AccessFact fact = facts.at(slot);
        boolean inFrame = FramePointerAccesses.withinFrame(fact, size);
        if (isPlainLoad(op)) {
            if (inFrame) {
                frameIndex(code, fact, size);
                code.invokestatic(CD_DIRECT, "loadFrame", MethodTypeDesc.of(CD_long, CD_BYTES, CD_int, CD_int));
            } else if (fact.direct()) {
                directAccess(code, fact, base, insn.offset(), size);
                code.loadConstant((ConstantDesc) slot);
                directCall(code, fact, true);
            } else {
                runAddress(code, base, insn.offset());
                code.loadConstant((ConstantDesc) size).loadConstant((ConstantDesc) slot).invokestatic(CD_RUNTIME,
                        "load", MethodTypeDesc.of(CD_long, CD_RUN, CD_long, CD_int, CD_int));
            }
            if (mode == MEMSX) {
                code.l2i();
                switch (size) {
                    case 1 -> code.i2b();
                    case 2 -> code.i2s();
                    default -> { }
                }
                code.i2l();
            }
            code.lstore(reg(insn.dst()));
        } else if (isPlainStore(op)) {
            if (inFrame) {
                frameIndex(code, fact, size);
                storedValue(code, insn);
                code.invokestatic(CD_DIRECT, "storeFrame",
                        MethodTypeDesc.of(CD_void, CD_BYTES, CD_int, CD_int, CD_long));
                return;
            }
            if (fact.direct()) {
                directAccess(code, fact, base, insn.offset(), size);
            } else {
                runAddress(code, base, insn.offset());
                code.loadConstant((ConstantDesc) size);
            }
            storedValue(code, insn);
            code.loadConstant((ConstantDesc) slot);
            if (fact.direct()) {
                directCall(code, fact, false);
            } else {
                code.invokestatic(CD_RUNTIME, "store",
                        MethodTypeDesc.of(CD_void, CD_RUN, CD_long, CD_int, CD_long, CD_int));
            }
        } else if (cls == STX && mode == ATOMIC && (size == 4 || size == 8)) {
            emitAtomic(code, slot, insn, base, size);
        } else {
            MethodEmitter.unknownOpcode(code, slot, op);
        }
    }

    private void emitAtomic(CodeBuilder code, int slot, Instruction insn, int base, int size) {
        AtomicOp atomicOp = AtomicOp.of(insn.imm32());
        if (atomicOp == null) {
            throw new Subprograms.Unsupported("slot " + slot + ": atomic operation " + insn.imm32());
        }
        int src = reg(insn.src());
        if (atomicOp == AtomicOp.CMPXCHG) {
            address(code, base, insn.offset());
            code.loadConstant((ConstantDesc) size);
            operands.register(code, reg(0));
            operands.register(code, src).loadConstant((ConstantDesc) slot)
                    .invokestatic(CD_RUNTIME, "compareAndExchange", MethodTypeDesc.of(CD_long,
                            CD_MEMORY, CD_long, CD_int, CD_long, CD_long, CD_int))
                    .lstore(reg(0));
            return;
        }
        address(code, base, insn.offset());
        code.loadConstant((ConstantDesc) size)
                .ldc(Enum.EnumDesc.of(CD_ATOMIC_OP, atomicOp.name()));
        operands.register(code, src).loadConstant((ConstantDesc) slot)
                .invokestatic(CD_RUNTIME, "atomic", MethodTypeDesc.of(CD_long,
                        CD_MEMORY, CD_long, CD_int, CD_ATOMIC_OP, CD_long, CD_int));
        if (AtomicOp.fetches(insn.imm32())) {
            code.lstore(src);
        } else {
            code.pop2();
        }
    }

    private void storedValue(CodeBuilder code, Instruction insn) {
        if (opClass(insn.opcode()) == ST) {
            operands.immediate(code, insn.imm32());
        } else {
            operands.register(code, reg(insn.src()));
        }
    }

    /** Pushes the stack array, the index of a fixed in-frame access and its size. */
    private void frameIndex(CodeBuilder code, AccessFact fact, int size) {
        code.aload(STACK).iload(FRAME_TOP).loadConstant((ConstantDesc) fact.stackOffset()).iadd()
                .loadConstant((ConstantDesc) size);
    }

    /**
     * Pushes the arguments of a {@link DirectAccess} method before the value and the slot: for the stack the array,
     * the index (the verifier's frame offset from r10, or the register's offset where paths disagree on it), the
     * address space and the address for the fallback; for the packet and the context the run and the address.
     */
    private void directAccess(CodeBuilder code, AccessFact fact, int base, int offset, int size) {
        if (fact.kind() == PointerKind.STACK) {
            code.aload(STACK).iload(FRAME_TOP);
            if (fact.fixedOffset()) {
                code.loadConstant((ConstantDesc) fact.stackOffset()).iadd();
            } else {
                // The pointer's distance below r10, whose low half is always the frame's size: subtracting r10
                // itself, rather than that constant, lets C2 cancel r10 out of pointers computed from it (the
                // sieve's r10 - 256 + j), so the loop keeps no register for it.
                operands.register(code, base);
                if (offset != 0) {
                    code.loadConstant((ConstantDesc) (long) offset).ladd();
                }
                code.lload(R10).lsub().l2i().iadd();
            }
            address(code, base, offset);
        } else {
            runAddress(code, base, offset);
        }
        code.loadConstant((ConstantDesc) size);
    }

    private static void directCall(CodeBuilder code, AccessFact fact, boolean load) {
        String name = (load ? "load" : "store") + switch (fact.kind()) {
            case STACK -> "Stack";
            case PACKET -> "Packet";
            case CONTEXT -> "Context";
            default -> throw new IllegalArgumentException("no direct access to " + fact.kind());
        };
        MethodTypeDesc type;
        if (fact.kind() == PointerKind.STACK) {
            type = load ? MethodTypeDesc.of(CD_long, CD_BYTES, CD_int, CD_MEMORY, CD_long, CD_int, CD_int)
                    : MethodTypeDesc.of(CD_void, CD_BYTES, CD_int, CD_MEMORY, CD_long, CD_int, CD_long, CD_int);
        } else {
            type = load ? MethodTypeDesc.of(CD_long, CD_RUN, CD_long, CD_int, CD_int)
                    : MethodTypeDesc.of(CD_void, CD_RUN, CD_long, CD_int, CD_long, CD_int);
        }
        code.invokestatic(CD_DIRECT, name, type);
    }

    /** Pushes the run and {@code base + offset}. */
    private void runAddress(CodeBuilder code, int base, int offset) {
        address(code, RUN, base, offset);
    }

    /** Pushes the address space and {@code base + offset}. */
    private void address(CodeBuilder code, int base, int offset) {
        address(code, MEMORY, base, offset);
    }

    /** Pushes the object in local {@code holder} (the run or the address space) and {@code base + offset}. */
    private void address(CodeBuilder code, int holder, int base, int offset) {
        operands.register(code.aload(holder), base);
        if (offset != 0) {
            code.loadConstant((ConstantDesc) (long) offset).ladd();
        }
    }
}
