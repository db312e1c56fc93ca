package org.ebpf4j.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.ebpf4j.isa.AtomicOp;

/** Hardware atomic read-modify-write on aligned segment memory, little endian. */
final class AtomicAccess {
    private AtomicAccess() {}

    private static final VarHandle I32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final VarHandle I64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    static long getAndApply(MemorySegment s, long at, int size, AtomicOp op, long operand) {
        if (size == 4) {
            int v = (int) operand;
            int old = switch (op) {
                case ADD -> (int) I32.getAndAdd(s, at, v);
                case OR -> (int) I32.getAndBitwiseOr(s, at, v);
                case AND -> (int) I32.getAndBitwiseAnd(s, at, v);
                case XOR -> (int) I32.getAndBitwiseXor(s, at, v);
                case XCHG -> (int) I32.getAndSet(s, at, v);
                case CMPXCHG -> throw new IllegalArgumentException("CMPXCHG");
            };
            return old & 0xffff_ffffL;
        }
        return switch (op) {
            case ADD -> (long) I64.getAndAdd(s, at, operand);
            case OR -> (long) I64.getAndBitwiseOr(s, at, operand);
            case AND -> (long) I64.getAndBitwiseAnd(s, at, operand);
            case XOR -> (long) I64.getAndBitwiseXor(s, at, operand);
            case XCHG -> (long) I64.getAndSet(s, at, operand);
            case CMPXCHG -> throw new IllegalArgumentException("CMPXCHG");
        };
    }

    static long compareAndExchange(MemorySegment s, long at, int size, long expected, long replacement) {
        if (size == 4) {
            return (int) I32.compareAndExchange(s, at, (int) expected, (int) replacement) & 0xffff_ffffL;
        }
        return (long) I64.compareAndExchange(s, at, expected, replacement);
    }
}
