package org.ebpf4j.runtime.maps;

import static org.ebpf4j.isa.Register.R0;
import static org.ebpf4j.isa.Register.R1;
import static org.ebpf4j.isa.Register.R10;
import static org.ebpf4j.isa.Register.R2;
import static org.ebpf4j.isa.Register.R3;
import static org.ebpf4j.isa.Register.R4;
import static org.ebpf4j.isa.Register.R6;
import static org.ebpf4j.isa.Register.R7;
import static org.ebpf4j.spec.HelperFlags.BPF_F_FAST_STACK_CMP;
import static org.ebpf4j.spec.HelperFlags.BPF_F_REUSE_STACKID;
import static org.ebpf4j.spec.HelperFlags.BPF_F_USER_BUILD_ID;
import static org.ebpf4j.spec.HelperFlags.BPF_F_USER_STACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.runtime.backend.JvmProgram;
import org.ebpf4j.runtime.events.Built;
import org.ebpf4j.runtime.helpers.CallStacks;
import org.ebpf4j.runtime.helpers.JavaFrames;
import org.ebpf4j.spec.Errno;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.MapFlags;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code bpf_get_stackid}, {@code bpf_get_stack} and the stack trace map on the JVM runtime, both engines, with
 * kernel/bpf/stackmap.c's semantics: ids by jhash2 (checked against the kernel's own ids in
 * StackIdsAgainstKernelTest), equal stacks equal ids, EEXIST on a taken bucket unless BPF_F_REUSE_STACKID,
 * BPF_F_FAST_STACK_CMP by hash alone, ENOMEM past max_entries stacks, skip and depth limits, EFAULT and EINVAL.
 */
class StackTraceTest {
    private static final long[] ABC = {0x1111, 0x2222, 0x3333};

    /** {@code r0 = bpf_get_stackid(ctx, &stacks, r2)}. */
    private static Collection stackIdProgram(Engine engine, int maxEntries, int valueSize, int flags) {
        var code = new ProgramBuilder()
                .mov64(R3, R2)
                .lddwPseudo(R2, Opcode.PSEUDO_MAP_FD, 0)
                .call(HelperFunction.GET_STACKID.value())
                .exit()
                .build();
        return new JvmBackend().withEngine(engine).load(Built.collection(ProgramType.XDP, code,
                map("stacks", MapType.STACK_TRACE, 4, valueSize, maxEntries, flags)), LoadOptions.defaults().unverified());
    }

    /** {@code r0 = bpf_get_stack(ctx, &buf[0], r3, r2)}, the stack in the value of array {@code buf}. */
    private static Collection getStackProgram(Engine engine) {
        var code = new ProgramBuilder()
                .mov64(R6, R2)
                .mov64(R7, R3)
                .st(Size.W, R10, -4, 0)
                .lddwPseudo(R1, Opcode.PSEUDO_MAP_FD, 0)
                .mov64(R2, R10)
                .alu64(AluOp.ADD, R2, -4)
                .call(HelperFunction.MAP_LOOKUP_ELEM.value())
                .jump(JumpOp.JEQ, R0, 0, "out")
                .mov64(R1, 0)
                .mov64(R2, R0)
                .mov64(R3, R7)
                .mov64(R4, R6)
                .call(HelperFunction.GET_STACK.value())
                .label("out")
                .exit()
                .build();
        return new JvmBackend().withEngine(engine).load(Built.collection(ProgramType.XDP, code,
                map("buf", MapType.ARRAY, 4, 128, 1, 0)), LoadOptions.defaults().unverified());
    }

    private static long run(Collection c, CallStacks stacks, long flags, long size) {
        Invocation invocation = new Invocation();
        invocation.setCallStacks(stacks);
        return ((JvmProgram) c.program("prog")).executable().run(invocation, 0, flags, size, 0, 0);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void equalStacksShareAnIdAndTheValueHoldsTheStack(Engine engine) {
        try (Collection c = stackIdProgram(engine, 1024, 8 * 5, 0)) {
            long id = run(c, CallStacks.withKernelStack(ABC), 0, 0);
            assertEquals(StackTraceMap.jhash2(ABC) & 1023, id);
            assertEquals(id, run(c, CallStacks.withKernelStack(ABC), 0, 0));
            assertArrayEquals(longs(0x1111, 0x2222, 0x3333, 0, 0), c.map("stacks").lookup(u32(id)).orElseThrow());
            long skipped = run(c, CallStacks.withKernelStack(ABC), 1, 0);
            assertArrayEquals(longs(0x2222, 0x3333, 0, 0, 0), c.map("stacks").lookup(u32(skipped)).orElseThrow());
            assertEquals(List.of(id, skipped).stream().sorted().toList(), keys(c));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStackDeeperThanTheValueIsCut(Engine engine) {
        try (Collection c = stackIdProgram(engine, 16, 8 * 2, 0)) {
            long id = run(c, CallStacks.withKernelStack(ABC), 0, 0);
            assertArrayEquals(longs(0x1111, 0x2222), c.map("stacks").lookup(u32(id)).orElseThrow());
            assertEquals(StackTraceMap.jhash2(new long[] {0x1111, 0x2222}) & 15, id);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void noStackOrTooMuchSkippedIsEfaultAndUnknownFlagsEinval(Engine engine) {
        try (Collection c = stackIdProgram(engine, 16, 64, 0)) {
            assertEquals(Errno.EFAULT.negated(), run(c, CallStacks.javaCaller(), 0, 0), "test runs have no kernel stack");
            assertEquals(Errno.EFAULT.negated(), run(c, CallStacks.withKernelStack(ABC), 3, 0));
            assertEquals(Errno.EINVAL.negated(), run(c, CallStacks.withKernelStack(ABC), 1L << 12, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTakenBucketIsEexistUnlessReusedAndFastCompareTrustsTheHash(Engine engine) {
        // max_entries 2: two buckets; another one-frame stack in ABC's bucket.
        long[] other = {1};
        while ((StackTraceMap.jhash2(other) & 1) != (StackTraceMap.jhash2(ABC) & 1)) {
            other[0]++;
        }
        long id = StackTraceMap.jhash2(ABC) & 1;
        try (Collection c = stackIdProgram(engine, 2, 64, 0)) {
            assertEquals(id, run(c, CallStacks.withKernelStack(ABC), 0, 0));
            assertEquals(Errno.EEXIST.negated(), run(c, CallStacks.withKernelStack(other), 0, 0));
            assertEquals(Errno.EEXIST.negated(), run(c, CallStacks.withKernelStack(other), BPF_F_FAST_STACK_CMP, 0));
            assertEquals(id, run(c, CallStacks.withKernelStack(other), BPF_F_REUSE_STACKID, 0));
            assertArrayEquals(concat(longs(other[0]), new byte[56]), c.map("stacks").lookup(u32(id)).orElseThrow());
            assertEquals(id, run(c, CallStacks.withKernelStack(other), BPF_F_FAST_STACK_CMP, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void reusingTheOnlyStackOfAOneEntryMapIsEnomem(Engine engine) {
        // The kernel takes the new stack from its free list before it gives the old one back.
        try (Collection c = stackIdProgram(engine, 1, 64, 0)) {
            assertEquals(0, run(c, CallStacks.withKernelStack(ABC), 0, 0));
            assertEquals(Errno.ENOMEM.negated(), run(c, CallStacks.withKernelStack(new long[] {7}),
                    BPF_F_REUSE_STACKID, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void atMostMaxEntriesStacksAreStored(Engine engine) {
        // max_entries 3: 4 buckets, 3 stacks. Four one-frame stacks in four different buckets.
        List<long[]> stacks = new ArrayList<>();
        boolean[] used = new boolean[4];
        for (long address = 1; stacks.size() < 4; address++) {
            int bucket = StackTraceMap.jhash2(new long[] {address}) & 3;
            if (!used[bucket]) {
                used[bucket] = true;
                stacks.add(new long[] {address});
            }
        }
        try (Collection c = stackIdProgram(engine, 3, 8, 0)) {
            for (int i = 0; i < 3; i++) {
                assertTrue(run(c, CallStacks.withKernelStack(stacks.get(i)), 0, 0) >= 0);
            }
            assertEquals(Errno.ENOMEM.negated(), run(c, CallStacks.withKernelStack(stacks.get(3)), 0, 0));
            assertTrue(c.map("stacks").delete(c.map("stacks").keys().get(0)));
            assertEquals(StackTraceMap.jhash2(stacks.get(3)) & 3, run(c, CallStacks.withKernelStack(stacks.get(3)), 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theUserStackIsTheCallingJavaCode(Engine engine) {
        try (Collection c = stackIdProgram(engine, 64, 8 * 4, 0)) {
            long id = run(c, CallStacks.javaCaller(), BPF_F_USER_STACK, 0);
            assertTrue(id >= 0, "id " + id);
            long innermost = ByteBuffer.wrap(c.map("stacks").lookup(u32(id)).orElseThrow())
                    .order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            Optional<StackTraceElement> frame = JavaFrames.describe(innermost);
            assertEquals(StackTraceTest.class.getName(), frame.orElseThrow().getClassName());
            assertEquals("run", frame.orElseThrow().getMethodName(), "the method that ran the program");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void buildIdMapsHoldTheAddressFallbackOfEachFrame(Engine engine) {
        try (Collection c = stackIdProgram(engine, 8, 32 * 4, MapFlags.BPF_F_STACK_BUILD_ID)) {
            long id = run(c, CallStacks.withKernelStack(ABC), 0, 0);
            ByteBuffer value = ByteBuffer.wrap(c.map("stacks").lookup(u32(id)).orElseThrow())
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 3; i++) {
                assertEquals(StackTraceMap.BUILD_ID_IP, value.getInt(32 * i), "status of frame " + i);
                assertEquals(ABC[i], value.getLong(32 * i + 24));
            }
            assertEquals(0, value.getInt(96), "no fourth frame");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void getStackCopiesZeroFillsAndFails(Engine engine) {
        try (Collection c = getStackProgram(engine)) {
            CallStacks stacks = CallStacks.withKernelStack(ABC);
            assertEquals(24, run(c, stacks, 0, 32));
            assertArrayEquals(concat(longs(0x1111, 0x2222, 0x3333, 0), new byte[96]), buf(c));
            assertEquals(16, run(c, stacks, 1, 128));
            assertArrayEquals(concat(longs(0x2222, 0x3333), new byte[112]), buf(c));
            assertEquals(8, run(c, stacks, 0, 8), "cut to the buffer");
            assertEquals(0, run(c, stacks, 3, 16), "everything skipped: nothing, no error");
            assertEquals(Errno.EFAULT.negated(), run(c, stacks, 4, 16));
            assertEquals(Errno.EINVAL.negated(), run(c, stacks, 0, 12), "not a whole number of frames");
            assertEquals(Errno.EINVAL.negated(), run(c, stacks, BPF_F_USER_BUILD_ID, 32), "build ids are for user stacks");
            assertArrayEquals(new byte[128], buf(c), "failures zero the buffer");
            assertEquals(0, run(c, CallStacks.javaCaller(), 0, 64), "test runs have no kernel stack");
            long user = run(c, CallStacks.javaCaller(), BPF_F_USER_STACK | BPF_F_USER_BUILD_ID, 64);
            assertEquals(64, user, "two frames of 32 bytes");
            assertEquals(StackTraceMap.BUILD_ID_IP, ByteBuffer.wrap(buf(c)).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
        }
    }

    private static byte[] buf(Collection c) {
        return c.map("buf").lookup(u32(0)).orElseThrow();
    }

    private static List<Long> keys(Collection c) {
        return c.map("stacks").keys().stream()
                .map(k -> (long) ByteBuffer.wrap(k).order(ByteOrder.LITTLE_ENDIAN).getInt()).sorted().toList();
    }

    private static MapSpec map(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, MapPinning.NONE, 0, 0,
                Optional.empty(), List.of(), false, 0, 0, MapSpec.Origin.LEGACY);
    }

    private static byte[] u32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
