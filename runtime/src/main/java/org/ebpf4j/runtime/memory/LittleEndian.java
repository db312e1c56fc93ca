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

    // The array forms are a chain of methods under C2's MaxInlineSize (35 bytes of bytecode), which it inlines
    // wherever they are called, however rarely. One method switching over the sizes (78 bytes) is inlined only at
    // call sites C2's profile finds frequent, and that profile is the caller's own: inside DirectAccess.storeStack,
    // shared by every store a program makes, the 8-byte stores of a memset are rare next to a loop's byte stores,
    // so each of them became a call (a quarter of the sieve's time). With the size a constant at the call site,
    // the chain folds to the one access.

    public static long get(byte[] data, int at, int size) {
        return size == Long.BYTES ? u64(data, at) : getNarrow(data, at, size);
    }

    private static long getNarrow(byte[] data, int at, int size) {
        return size == Integer.BYTES ? u32(data, at) : size == Short.BYTES ? u16(data, at) : u8(data, at, size);
    }

    private static long u8(byte[] data, int at, int size) {
        if (size != 1) {
            throw unsupported(size);
        }
        return data[at] & 0xffL;
    }

    private static long u16(byte[] data, int at) {
        return (short) I16.get(data, at) & 0xffffL;
    }

    private static long u32(byte[] data, int at) {
        return (int) I32.get(data, at) & 0xffff_ffffL;
    }

    private static long u64(byte[] data, int at) {
        return (long) I64.get(data, at);
    }

    public static void set(byte[] data, int at, int size, long value) {
        if (size == Long.BYTES) {
            I64.set(data, at, value);
        } else {
            setNarrow(data, at, size, value);
        }
    }

    private static void setNarrow(byte[] data, int at, int size, long value) {
        if (size == Integer.BYTES) {
            I32.set(data, at, (int) value);
        } else {
            setShortOrByte(data, at, size, value);
        }
    }

    private static void setShortOrByte(byte[] data, int at, int size, long value) {
        if (size == Short.BYTES) {
            I16.set(data, at, (short) value);
        } else {
            setByte(data, at, size, value);
        }
    }

    private static void setByte(byte[] data, int at, int size, long value) {
        if (size != 1) {
            throw unsupported(size);
        }
        data[at] = (byte) value;
    }

    /** A size no instruction has: a caller's bug, which must not read or write some other number of bytes. */
    private static IllegalArgumentException unsupported(int size) {
        return new IllegalArgumentException("a " + size + "-byte access: the sizes are 1, 2, 4 and 8");
    }

    public static long get(MemorySegment segment, long at, int size) {
        return switch (size) {
            case 1 -> segment.get(ValueLayout.JAVA_BYTE, at) & 0xffL;
            case 2 -> segment.get(S16, at) & 0xffffL;
            case 4 -> segment.get(S32, at) & 0xffff_ffffL;
            case 8 -> segment.get(S64, at);
            default -> throw unsupported(size);
        };
    }

    public static void set(MemorySegment segment, long at, int size, long value) {
        switch (size) {
            case 1 -> segment.set(ValueLayout.JAVA_BYTE, at, (byte) value);
            case 2 -> segment.set(S16, at, (short) value);
            case 4 -> segment.set(S32, at, (int) value);
            case 8 -> segment.set(S64, at, value);
            default -> throw unsupported(size);
        }
    }
}
