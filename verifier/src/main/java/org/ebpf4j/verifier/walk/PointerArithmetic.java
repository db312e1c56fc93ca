package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToCtx;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.PacketPointer;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * ALU instructions where a pointer takes part (the kernel's adjust_reg_min_max_vals and adjust_ptr_min_max_vals).
 * What ebpf4j tracks today: constants added to stack, context and packet pointers, kept in the pointer's fixed
 * offset as the kernel keeps them; privileged, pointer minus pointer and 32-bit subtractions give unknown numbers.
 * Without CAP_BPF those are refused and every addition or subtraction is sanitised ({@link AluSanitation}).
 * Variable offsets and the other pointer types are rejected as unsupported.
 */
final class PointerArithmetic {
    private PointerArithmetic() {}

    static RegisterType apply(Instruction insn, int idx, AluOp op, boolean alu64, RegisterType dst,
                              RegisterType operand, IdGenerator ids, Capabilities caps) {
        int d = insn.dst();
        if (dst.isPointer() && operand.isPointer()) {
            // Subtracting pointers gives a number only to a loader that may see addresses.
            if (op == AluOp.SUB && caps.privileged()) {
                return ScalarValue.unknown();
            }
            throw VerificationFailure.rule(idx, "R%d pointer %s pointer prohibited", d, AluRule.operatorName(op));
        }
        boolean scalarPlusPointer = !dst.isPointer();
        RegisterType pointer = scalarPlusPointer ? operand : dst;
        Scalar offset = ((ScalarValue) (scalarPlusPointer ? dst : operand)).value();
        if (!alu64) {
            if (op == AluOp.SUB && caps.privileged()) {
                return ScalarValue.unknown();
            }
            throw VerificationFailure.rule(idx, "R%d 32-bit pointer arithmetic prohibited", d);
        }
        if (NullCheck.mayBeNull(pointer)) {
            throw VerificationFailure.rule(idx, "R%d pointer arithmetic on %s prohibited, null-check it first", d,
                    pointer.kernelName());
        }
        switch (pointer) {
            case PtrToCtx c -> { }
            case PtrToStack s -> { }
            case PacketPointer p -> { }
            case PtrToMapValue v -> { }
            case RegisterType.PtrToMem m -> { }
            case RegisterType.ConstPtrToMap m -> {
                if (op == AluOp.ADD && offset.isConst() && offset.bits().value() == 0) {
                    return m;
                }
                throw VerificationFailure.rule(idx, "R%d pointer arithmetic on map_ptr prohibited", d);
            }
            case RegisterType.PtrToPacketEnd e ->
                    throw VerificationFailure.rule(idx, "R%d pointer arithmetic on pkt_end prohibited", d);
            default -> throw VerificationFailure.unsupported(idx, "arithmetic on " + pointer.kernelName()
                    + " pointers");
        }
        String type = pointer.kernelName();
        checkSaneOffset(idx, offset, 0, type);
        checkSaneOffset(idx, HelperMemory.variablePart(pointer), fixedOffset(pointer), type);
        boolean sanitize = !caps.privileged() && !insn.usesImmediate() && (op == AluOp.ADD || op == AluOp.SUB);
        AluSanitation.Window window = sanitize ? caps.sanitation().begin(idx, op, d, insn.src(), !scalarPlusPointer,
                pointer, offset) : null;
        RegisterType result = switch (pointer) {
            case PtrToMapValue v -> object(insn, idx, op, scalarPlusPointer, v, offset);
            case RegisterType.PtrToMem m -> object(insn, idx, op, scalarPlusPointer, m, offset);
            default -> fixed(insn, idx, op, scalarPlusPointer, pointer, offset, ids);
        };
        if (!caps.privileged()) {
            AluSanitation.checkBounds(idx, d, result);
        }
        if (window != null) {
            caps.sanitation().commit(idx, op, d, result, window);
        }
        return result;
    }

    /** Context, stack and packet pointers: constants move the fixed offset. */
    private static RegisterType fixed(Instruction insn, int idx, AluOp op, boolean scalarPlusPointer,
                                      RegisterType pointer, Scalar offset, IdGenerator ids) {
        int d = insn.dst();
        String type = pointer.kernelName();
        if (pointer instanceof PacketPointer p && op == AluOp.ADD && !offset.isConst()) {
            return addVariable(idx, p, offset, ids);
        }
        int resultOff = switch (op) {
            case ADD -> add(idx, pointer, offset);
            case SUB -> {
                if (scalarPlusPointer) {
                    throw VerificationFailure.rule(idx, "R%d tried to subtract pointer from scalar", d);
                }
                if (pointer instanceof PtrToStack) {
                    throw VerificationFailure.rule(idx, "R%d subtraction from stack pointer prohibited", d);
                }
                yield subtract(idx, pointer, offset);
            }
            case AND, OR, XOR -> throw VerificationFailure.rule(idx, "R%d bitwise operator %s on pointer prohibited",
                    d, AluRule.operatorName(op));
            default -> throw VerificationFailure.rule(idx, "R%d pointer arithmetic with %s operator prohibited", d,
                    AluRule.operatorName(op));
        };
        checkSaneOffset(idx, Scalar.constant(0), resultOff, type);
        return switch (pointer) {
            case PtrToCtx c -> new PtrToCtx(resultOff);
            case PtrToStack s -> new PtrToStack(s.frame(), resultOff, s.varOff());
            // A constant moves the fixed offset and keeps id and range: the range counts from the packet start.
            case PacketPointer p -> p.with(resultOff, p.range());
            default -> throw new IllegalStateException("checked above: " + pointer);
        };
    }

    /**
     * Pointers into map values and other memory objects keep constants in their fixed offset and anything else,
     * with its bounds, in their variable part, which every access then checks whole (adjust_ptr_min_max_vals).
     * Pointers carry no 32-bit bounds of their own: the kernel forgets them before deriving them again from the
     * 64-bit facts.
     */
    private static RegisterType object(Instruction insn, int idx, AluOp op, boolean scalarPlusPointer,
                                       RegisterType ptr, Scalar offset) {
        int d = insn.dst();
        String type = ptr.kernelName();
        int off = switch (ptr) {
            case PtrToMapValue v -> v.off();
            case RegisterType.PtrToMem m -> m.off();
            default -> throw new IllegalArgumentException(type);
        };
        Scalar var = HelperMemory.variablePart(ptr);
        checkSaneOffset(idx, offset, 0, type);
        checkSaneOffset(idx, var, off, type);
        boolean known = offset.isConst();
        long k = offset.smin();
        switch (op) {
            case ADD -> {
                if (known && off + k == (int) (off + k)) {
                    off = (int) (off + k);
                } else {
                    var = pointerBounds(var.bits().add(offset.bits()), addSigned(var, offset),
                            addUnsigned(var, offset));
                }
            }
            case SUB -> {
                if (scalarPlusPointer) {
                    throw VerificationFailure.rule(idx, "R%d tried to subtract pointer from scalar", d);
                }
                if (known && off - k == (int) (off - k)) {
                    off = (int) (off - k);
                } else {
                    var = pointerBounds(var.bits().sub(offset.bits()), subSigned(var, offset),
                            subUnsigned(var, offset));
                }
            }
            case AND, OR, XOR -> throw VerificationFailure.rule(idx, "R%d bitwise operator %s on pointer prohibited",
                    d, AluRule.operatorName(op));
            default -> throw VerificationFailure.rule(idx, "R%d pointer arithmetic with %s operator prohibited", d,
                    AluRule.operatorName(op));
        }
        checkSaneOffset(idx, var, off, type);
        return switch (ptr) {
            case PtrToMapValue v -> new PtrToMapValue(v.map(), off, var, false, v.id());
            case RegisterType.PtrToMem m -> new RegisterType.PtrToMem(m.size(), off, var, false, m.id(), m.ringbuf(),
                    m.refObjId());
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static long[] addSigned(Scalar a, Scalar b) {
        long min = a.smin() + b.smin();
        long max = a.smax() + b.smax();
        boolean overflow = ((a.smin() ^ min) & (b.smin() ^ min)) < 0 || ((a.smax() ^ max) & (b.smax() ^ max)) < 0;
        return overflow ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE} : new long[] {min, max};
    }

    private static long[] addUnsigned(Scalar a, Scalar b) {
        long min = a.umin() + b.umin();
        long max = a.umax() + b.umax();
        boolean overflow = Long.compareUnsigned(min, a.umin()) < 0 || Long.compareUnsigned(max, a.umax()) < 0;
        return overflow ? new long[] {0, -1} : new long[] {min, max};
    }

    private static long[] subSigned(Scalar a, Scalar b) {
        long min = a.smin() - b.smax();
        long max = a.smax() - b.smin();
        boolean overflow = ((a.smin() ^ b.smax()) & (a.smin() ^ min)) < 0
                || ((a.smax() ^ b.smin()) & (a.smax() ^ max)) < 0;
        return overflow ? new long[] {Long.MIN_VALUE, Long.MAX_VALUE} : new long[] {min, max};
    }

    private static long[] subUnsigned(Scalar a, Scalar b) {
        if (Long.compareUnsigned(a.umin(), b.umax()) < 0) {
            return new long[] {0, -1};
        }
        return new long[] {a.umin() - b.umax(), a.umax() - b.umin()};
    }

    /** A pointer's variable part: 64-bit facts, 32-bit bounds unknown, then reg_bounds_sync. */
    private static Scalar pointerBounds(org.ebpf4j.verifier.scalar.Tnum bits, long[] signed, long[] unsigned) {
        return new Scalar(bits, signed[0], signed[1], unsigned[0], unsigned[1], Integer.MIN_VALUE, Integer.MAX_VALUE,
                0, 0xffff_ffffL).synced();
    }

    /**
     * A packet pointer plus a number known only by its bounds: the kernel gives the result a new id and no range,
     * so a new comparison with the end must prove its bytes. ebpf4j takes only non-negative numbers below
     * MAX_PACKET_OFF added to a pointer without a variable part, where the kernel's bounds are the number's own.
     */
    private static RegisterType addVariable(int idx, PacketPointer pointer, Scalar offset, IdGenerator ids) {
        boolean fixed = pointer.varOff().isConst() && pointer.varOff().bits().value() == 0;
        if (!fixed || offset.smin() < 0 || Long.compareUnsigned(offset.umax(), Limits.MAX_PACKET_OFF) > 0) {
            throw VerificationFailure.unsupported(idx, "variable offsets of " + pointer.kernelName()
                    + " pointers other than one number in [0, 0xffff]");
        }
        return pointer.withVariable(offset, ids.next());
    }

    private static int add(int idx, RegisterType pointer, Scalar offset) {
        long sum = fixedOffset(pointer) + offset.smin();
        if (!offset.isConst() || sum != (int) sum) {
            throw VerificationFailure.unsupported(idx, "variable offsets of " + pointer.kernelName() + " pointers");
        }
        return (int) sum;
    }

    private static int subtract(int idx, RegisterType pointer, Scalar offset) {
        long difference = fixedOffset(pointer) - offset.smin();
        if (!offset.isConst() || difference != (int) difference) {
            throw VerificationFailure.unsupported(idx, "variable offsets of " + pointer.kernelName() + " pointers");
        }
        return (int) difference;
    }

    static int fixedOffset(RegisterType pointer) {
        return switch (pointer) {
            case PtrToCtx c -> c.off();
            case PtrToStack s -> s.off();
            case PacketPointer p -> p.off();
            default -> 0;
        };
    }

    /** check_reg_sane_offset: offsets far outside any object are refused before they can wrap. */
    private static void checkSaneOffset(int idx, Scalar var, int off, String type) {
        if (var.isConst() && (var.bits().value() >= Limits.MAX_VAR_OFF || var.bits().value() <= -Limits.MAX_VAR_OFF)) {
            throw VerificationFailure.rule(idx, "math between %s pointer and %d is not allowed", type,
                    var.bits().value());
        }
        if (off >= Limits.MAX_VAR_OFF || off <= -Limits.MAX_VAR_OFF) {
            throw VerificationFailure.rule(idx, "%s pointer offset %d is not allowed", type, off);
        }
        if (var.smin() == Long.MIN_VALUE) {
            throw VerificationFailure.rule(idx, "math between %s pointer and register with unbounded min value is "
                    + "not allowed", type);
        }
        if (var.smin() >= Limits.MAX_VAR_OFF || var.smin() <= -Limits.MAX_VAR_OFF) {
            throw VerificationFailure.rule(idx, "value %d makes %s pointer be out of bounds", var.smin(), type);
        }
    }
}
