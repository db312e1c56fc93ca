package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Register;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToCtx;
import org.ebpf4j.verifier.state.RegisterType.PacketPointer;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Loads, stores and atomic operations (the kernel's check_load_mem, check_store_reg, check_atomic and
 * check_mem_access), in its order of checks. The stack, the context, the packet and map values are modelled today;
 * every other kind of memory is rejected as unsupported, and a number used as an address is the kernel's "invalid mem access 'scalar'".
 */
final class MemoryRule {
    private MemoryRule() {}

    /** LDX: dst = *(size *)(src + off). */
    static void load(Instruction insn, int idx, VerifierState state, ContextRules context,
                     AccessedPointers accessed, Capabilities caps) {
        FrameState frame = state.current();
        RegisterType base = RegisterAccess.read(frame, insn.src(), idx);
        RegisterAccess.checkWritable(insn.dst(), idx);
        int size = Opcode.sizeBytes(insn.opcode());
        boolean signExtend = Mode.of(insn.opcode()) == Mode.MEMSX;
        RegisterType loaded;
        if (base instanceof PtrToCtx ctx) {
            loaded = ContextAccess.load(context, insn.src(), ctx, insn.offset(), size, signExtend, idx);
        } else if (base instanceof PacketPointer pkt) {
            loaded = PacketAccess.load(context, insn.src(), pkt, insn.offset(), size, signExtend, idx);
        } else if (base instanceof PtrToMapValue value) {
            loaded = ObjectAccess.load(insn.src(), value, insn.offset(), size, signExtend,
                    context.strictAlignment(), idx);
        } else if (base instanceof RegisterType.PtrToMapKey key) {
            loaded = ObjectAccess.key(insn.src(), key, insn.offset(), size, true, context.strictAlignment(), idx);
            if (signExtend) {
                loaded = ScalarValue.unknown();
            }
        } else if (base instanceof RegisterType.PtrToMem mem) {
            loaded = ObjectAccess.memory(insn.src(), mem, insn.offset(), size, true, context.strictAlignment(),
                    idx);
            if (signExtend) {
                loaded = ScalarValue.unknown();
            }
        } else {
            PtrToStack ptr = stackPointer(base, insn.src(), idx, "load");
            int off = StackAccess.checkedOffset(insn.src(), ptr, insn.offset(), size, StackAccess.Kind.READ, idx);
            if (!caps.privileged()) {
                UnprivilegedStack.checkRead(state.frame(ptr.frame()), off, size, idx);
            }
            loaded = StackAccess.read(state.frame(ptr.frame()), off, size, signExtend, idx);
        }
        accessed.record(idx, base, insn.offset(), state);
        frame.setReg(insn.dst(), loaded);
    }

    /** STX | MEM and ST | MEM: *(size *)(dst + off) = src or imm. */
    static void store(Instruction insn, int idx, VerifierState state, ContextRules context,
                      AccessedPointers accessed, IdGenerator ids, Capabilities caps) {
        FrameState frame = state.current();
        boolean fromRegister = Opcode.opClass(insn.opcode()) == Opcode.STX;
        if (Mode.of(insn.opcode()) != Mode.MEM || (fromRegister ? insn.imm() != 0 : insn.src() != 0)) {
            throw VerificationFailure.rule(idx, fromRegister ? "BPF_STX uses reserved fields"
                    : "BPF_ST uses reserved fields");
        }
        RegisterType value = fromRegister ? RegisterAccess.read(frame, insn.src(), idx)
                : ScalarValue.constant(insn.imm());
        RegisterType base = RegisterAccess.read(frame, insn.dst(), idx);
        int size = Opcode.sizeBytes(insn.opcode());
        if (base instanceof PtrToCtx ctx) {
            PointerLeaks.checkStore(caps, value, insn.src(), "ctx", idx);
            ContextAccess.store(context, insn.dst(), ctx, insn.offset(), size, idx);
        } else if (base instanceof PacketPointer pkt) {
            if (!context.packetWrites()) {
                throw VerificationFailure.rule(idx, "cannot write into packet");
            }
            PointerLeaks.checkStore(caps, value, insn.src(), "packet", idx);
            PacketAccess.check(context, insn.dst(), pkt, insn.offset(), size, idx);
        } else if (base instanceof PtrToMapValue mapValue) {
            PointerLeaks.checkStore(caps, value, insn.src(), "map", idx);
            ObjectAccess.check(insn.dst(), mapValue, insn.offset(), size, ObjectAccess.Kind.WRITE,
                    context.strictAlignment(), idx);
        } else if (base instanceof RegisterType.PtrToMapKey key) {
            ObjectAccess.key(insn.dst(), key, insn.offset(), size, false, context.strictAlignment(), idx);
        } else if (base instanceof RegisterType.PtrToMem mem) {
            PointerLeaks.checkStore(caps, value, insn.src(), "mem", idx);
            ObjectAccess.memory(insn.dst(), mem, insn.offset(), size, false, context.strictAlignment(), idx);
        } else {
            PtrToStack ptr = stackPointer(base, insn.dst(), idx, "store");
            int off = StackAccess.checkedOffset(insn.dst(), ptr, insn.offset(), size, StackAccess.Kind.WRITE, idx);
            if (!caps.privileged()) {
                UnprivilegedStack.write(state.frame(ptr.frame()), off, size, value, idx);
                accessed.record(idx, base, insn.offset(), state);
                return;
            }
            if (fromRegister && value instanceof ScalarValue number && off % Limits.REG_SIZE == 0) {
                // A spilled number stays linked to its register where the spill holds all of it.
                value = ScalarLinks.fits(number, size) ? ScalarLinks.linked(frame, insn.src(), number, ids)
                        : new ScalarValue(number.value());
            }
            if (value instanceof PtrToStack && size == Limits.REG_SIZE && ptr.frame() != frame.frameNo()) {
                // check_stack_write_fixed_off: a frame's stack may not hold a pointer into a frame below it.
                throw VerificationFailure.rule(idx, "cannot spill pointers to stack into stack frame of the caller");
            }
            StackAccess.write(state.frame(ptr.frame()), off, size, value, idx);
        }
        accessed.record(idx, base, insn.offset(), state);
    }

    /** STX | ATOMIC: a read-modify-write of memory, the old value optionally fetched into a register. */
    static void atomic(Instruction insn, int idx, VerifierState state, Capabilities caps,
                       AccessedPointers accessed) {
        FrameState frame = state.current();
        int size = Opcode.sizeBytes(insn.opcode());
        AtomicOp op = AtomicOp.of(insn.imm32());
        if (op == null || (size != 4 && size != 8)) {
            throw VerificationFailure.unsupported(idx, String.format("atomic operation 0x%x of %d bytes",
                    insn.imm(), size));
        }
        RegisterAccess.read(frame, insn.src(), idx);
        RegisterType base = RegisterAccess.read(frame, insn.dst(), idx);
        if (op == AtomicOp.CMPXCHG) {
            RegisterType r0 = RegisterAccess.read(frame, Register.R0.number(), idx);
            PointerLeaks.checkStore(caps, r0, Register.R0.number(), "mem", idx);
        }
        PointerLeaks.checkStore(caps, frame.reg(insn.src()), insn.src(), "mem", idx);
        boolean fetch = AtomicOp.fetches(insn.imm32());
        int loadReg = op == AtomicOp.CMPXCHG ? Register.R0.number() : insn.src();
        if (fetch) {
            RegisterAccess.checkWritable(loadReg, idx);
        }
        if (base instanceof RegisterType.PtrToCtx || base instanceof PacketPointer) {
            throw VerificationFailure.rule(idx, "BPF_ATOMIC stores into R%d %s is not allowed", insn.dst(),
                    base.kernelName());
        }
        if (fetch && loadReg == insn.dst()) {
            // check_atomic_rmw marks the fetch register unknown (check_reg_arg DST_OP) before it checks the access:
            // an address register that also receives the old value is an unknown number by then, and the access's
            // strict alignment fails on its unknown low bits (found by the fuzzer, checked against Linux 6.18).
            throw VerificationFailure.rule(idx, "misaligned access off (0x0; 0xffffffffffffffff)+0+%d size %d",
                    insn.offset(), size);
        }
        if (base instanceof RegisterType.PtrToMem mem) {
            ObjectAccess.memory(insn.dst(), mem, insn.offset(), size, false, true, idx);
            accessed.recordAtomic(idx, base, insn.offset(), state);
            if (fetch) {
                frame.setReg(loadReg, size == 8 ? ScalarValue.unknown()
                        : new ScalarValue(org.ebpf4j.verifier.scalar.ScalarAlu.truncate(
                                org.ebpf4j.verifier.scalar.Scalar.unknown(), size)));
            }
            return;
        }
        if (base instanceof PtrToMapValue value) {
            // check_atomic_rmw reads, then writes, alignment strict either way; the old value is not tracked.
            ObjectAccess.check(insn.dst(), value, insn.offset(), size, ObjectAccess.Kind.READ, true, idx);
            ObjectAccess.check(insn.dst(), value, insn.offset(), size, ObjectAccess.Kind.WRITE, true, idx);
            accessed.recordAtomic(idx, base, insn.offset(), state);
            if (fetch) {
                frame.setReg(loadReg, size == 8 ? ScalarValue.unknown()
                        : new ScalarValue(org.ebpf4j.verifier.scalar.ScalarAlu.truncate(
                                org.ebpf4j.verifier.scalar.Scalar.unknown(), size)));
            }
            return;
        }
        PtrToStack ptr = stackPointer(base, insn.dst(), idx, "atomic operation");
        int off = StackAccess.checkedOffset(insn.dst(), ptr, insn.offset(), size, StackAccess.Kind.READ, idx);
        FrameState target = state.frame(ptr.frame());
        if (!caps.privileged()) {
            UnprivilegedStack.checkRead(target, off, size, idx);
        }
        RegisterType old = StackAccess.read(target, off, size, false, idx);
        if (!caps.privileged()) {
            UnprivilegedStack.checkAtomic(target, off, idx);
        }
        StackAccess.checkedOffset(insn.dst(), ptr, insn.offset(), size, StackAccess.Kind.WRITE, idx);
        if (caps.privileged()) {
            StackAccess.write(target, off, size, null, idx);
        } else {
            UnprivilegedStack.write(target, off, size, null, idx);
        }
        accessed.recordAtomic(idx, base, insn.offset(), state);
        if (fetch) {
            frame.setReg(loadReg, old);
        }
    }

    private static PtrToStack stackPointer(RegisterType base, int regno, int idx, String access) {
        return switch (base) {
            case PtrToStack p -> p;
            case ScalarValue s -> throw VerificationFailure.rule(idx, "R%d invalid mem access 'scalar'", regno);
            case RegisterType.NotInit n -> throw VerificationFailure.rule(idx, "R%d !read_ok", regno);
            // pkt_end only bounds the packet; check_mem_access has no case for it.
            case RegisterType.PtrToPacketEnd e ->
                    throw VerificationFailure.rule(idx, "R%d invalid mem access 'pkt_end'", regno);
            case RegisterType.PtrToCtx c -> throw VerificationFailure.unsupported(idx, "context " + access);
            // check_mem_access has no case for function addresses either.
            case RegisterType.PtrToFunc f ->
                    throw VerificationFailure.rule(idx, "R%d invalid mem access 'func'", regno);
            case RegisterType.ConstPtrToMap _, RegisterType.PtrToMapValue _, RegisterType.PtrToMapKey _,
                 RegisterType.PtrToPacket _, RegisterType.PtrToPacketMeta _,
                 RegisterType.PtrToMem _, RegisterType.PtrToFlowKeys _ ->
                    throw VerificationFailure.unsupported(idx, base.kernelName() + " " + access);
        };
    }
}
