package org.ebpf4j.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.memory.AddressSpace;
import org.ebpf4j.runtime.memory.LittleEndian;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the JIT's direct stack accesses should reach the stack: the choice behind
 * {@code org.ebpf4j.runtime.jit.DirectAccess}. Each benchmark runs five accesses (8-byte store and load, 4-byte
 * store and load, 1-byte store) {@value #LOOPS} times at a frame base known only at run time, as compiled code knows
 * it, moving through the frame from one iteration to the next: on the stack's {@code byte[]} through byte-array view
 * VarHandles ({@link LittleEndian}), on a heap {@link MemorySegment} over the same array with unaligned
 * little-endian layouts, and through the region table ({@link AddressSpace}: what every access cost before the
 * facts). Figures are ns per access.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xms1g")
public class DirectStackBenchmark {
    static final int LOOPS = 1000;
    private static final int ACCESSES = 5 * LOOPS;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private byte[] stack;
    private MemorySegment segment;
    private AddressSpace memory;
    /** r10's index in the array: a field, so that C2 cannot fold it into the accesses. */
    private int frameTop;
    private long framePointer;

    @Setup
    public void setUp() {
        Invocation invocation = new Invocation();
        memory = invocation.memory();
        framePointer = Invocation.framePointer(1);
        stack = memory.region(framePointer).array();
        segment = MemorySegment.ofArray(stack);
        frameTop = memory.region(framePointer).base() + Invocation.STACK_SIZE;
    }

    /** The loop walks 32 slots of the frame, so no address is loop-invariant (C2 would hoist those lookups). */
    private static int slot(long r1) {
        return 8 * (2 + (int) (r1 & 31));
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long byteArrayVarHandle() {
        byte[] s = stack;
        int top = frameTop;
        long r0 = 0;
        for (long r1 = LOOPS; r1 != 0; r1--) {
            int at = top - slot(r1);
            LittleEndian.set(s, at, 8, r1);
            r0 += LittleEndian.get(s, at, 8);
            LittleEndian.set(s, at - 8, 4, r0);
            long r3 = LittleEndian.get(s, at - 8, 4);
            LittleEndian.set(s, at - 9, 1, r3);
        }
        return r0;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long heapSegment() {
        MemorySegment s = segment;
        long top = frameTop;
        long r0 = 0;
        for (long r1 = LOOPS; r1 != 0; r1--) {
            long at = top - slot(r1);
            s.set(I64, at, r1);
            r0 += s.get(I64, at);
            s.set(I32, at - 8, (int) r0);
            long r3 = s.get(I32, at - 8) & 0xffff_ffffL;
            s.set(ValueLayout.JAVA_BYTE, at - 9, (byte) r3);
        }
        return r0;
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public long regionTable() {
        AddressSpace m = memory;
        long fp = framePointer;
        long r0 = 0;
        for (long r1 = LOOPS; r1 != 0; r1--) {
            long at = fp - slot(r1);
            m.store(at, 8, r1);
            r0 += m.load(at, 8);
            m.store(at - 8, 4, r0);
            long r3 = m.load(at - 8, 4);
            m.store(at - 9, 1, r3);
        }
        return r0;
    }
}
