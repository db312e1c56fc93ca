package org.ebpf4j.runtime.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian loads (zero-extended) and stores of 1, 2, 4 or 8 bytes, on arrays and on segments. */
public final class LittleEndian {
    private LittleEndian() {}

    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final ValueLayout.OfShort S16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt S32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong S64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static long get(byte[] data, int at, int size) {
        return switch (size) {
            case 1 -> data[at] & 0xffL;
            case 2 -> (short) I16.get(data, at) & 0xffffL;
            case 4 -> (int) I32.get(data, at) & 0xffff_ffffL;
            default -> (long) I64.get(data, at);
        };
    }

    public static void set(byte[] data, int at, int size, long value) {
        switch (size) {
            case 1 -> data[at] = (byte) value;
            case 2 -> I16.set(data, at, (short) value);
            case 4 -> I32.set(data, at, (int) value);
            default -> I64.set(data, at, value);
        }
    }

    public static long get(MemorySegment segment, long at, int size) {
        return switch (size) {
            case 1 -> segment.get(ValueLayout.JAVA_BYTE, at) & 0xffL;
            case 2 -> segment.get(S16, at) & 0xffffL;
            case 4 -> segment.get(S32, at) & 0xffff_ffffL;
            default -> segment.get(S64, at);
        };
    }

    public static void set(MemorySegment segment, long at, int size, long value) {
        switch (size) {
            case 1 -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) value);
            case 2 -> segment.set(S16, at, (short) value);
            case 4 -> segment.set(S32, at, (int) value);
            default -> segment.set(S64, at, value);
        }
    }
}
