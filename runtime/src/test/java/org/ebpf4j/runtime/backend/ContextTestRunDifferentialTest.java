package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.Program;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.context.PerfEventData;
import org.ebpf4j.api.context.PtRegs;
import org.ebpf4j.api.context.RawTracepointArgs;
import org.ebpf4j.api.context.SyscallContext;
import org.ebpf4j.api.context.TracepointRecord;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramLoadFlags;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * Test runs of the context-only program types. RAW_TRACEPOINT and SYSCALL against the kernel's
 * {@code BPF_PROG_TEST_RUN} (return value, context out, the errno of refused inputs) on both engines, through
 * {@code testRun} and the typed {@link Program#run}; KPROBE, TRACEPOINT and PERF_EVENT, which the kernel loads but
 * does not test-run, on the interpreter and the JIT against values computed here.
 */
class ContextTestRunDifferentialTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();
    private static final List<Backend> JVM = List.of(new JvmBackend(),
            new JvmBackend().withEngine(Engine.JIT));

    /** r0 = args[0] * 3 + (u32) args[1] + (u8) args[2]: 8-, 4- and 1-byte reads. */
    private static final Instructions RAW_TP = new ProgramBuilder()
            .ldx(Size.DW, Register.R2, Register.R1, 0)
            .ldx(Size.W, Register.R3, Register.R1, 8)
            .ldx(Size.B, Register.R4, Register.R1, 16)
            .mov64(Register.R0, Register.R2).alu64(AluOp.MUL, Register.R0, 3)
            .alu64(AluOp.ADD, Register.R0, Register.R3).alu64(AluOp.ADD, Register.R0, Register.R4)
            .exit().build();

    /** ctx[0] = ctx[1] + 1 (u64); ctx[2] byte = 0x5a; return ctx[1] (its low 32 bits). */
    private static final Instructions SYSCALL = new ProgramBuilder()
            .ldx(Size.DW, Register.R2, Register.R1, 8)
            .mov64(Register.R0, Register.R2)
            .alu64(AluOp.ADD, Register.R2, 1)
            .stx(Size.DW, Register.R1, 0, Register.R2)
            .st(Size.B, Register.R1, 16, 0x5a)
            .exit().build();

    @Test
    void rawTracepointRunsAsInTheKernel() {
        assumeTrue(kernel != null, skipReason);
        List<TestRun> runs = List.of(
                TestRun.withoutData().ctx(longs(5, 0x1234_5678_9abcL, 0xff01)),
                TestRun.withoutData().ctx(longs(-1, -1, -1, 7, 8, 9, 10, 11, 12, 13, 14, 15)),
                TestRun.withoutData().ctx(new byte[97]),
                TestRun.of(new byte[20]).ctx(longs(1, 2, 3)),
                TestRun.withoutData().ctx(longs(1, 2, 3)).repeat(2));
        compare(ProgramType.RAW_TRACEPOINT, 0, RAW_TP, runs);
        for (long[] args : List.of(new long[] {5, 6, 7}, new long[] {-3, 1L << 40, 0x1ff})) {
            long expected = kernelProgram(ProgramType.RAW_TRACEPOINT, 0, RAW_TP, p -> p.run(new RawTracepointArgs(args)));
            for (Backend jvm : JVM) {
                try (Collection c = jvm.load(spec(ProgramType.RAW_TRACEPOINT, 0, RAW_TP))) {
                    assertEquals(expected, c.program("ctx").run(new RawTracepointArgs(args)), jvm.toString());
                }
            }
        }
    }

    /** bpf_get_attach_cookie in a raw tracepoint's test run: no attachment, so 0 on both sides. */
    @Test
    void rawTracepointAttachCookieIsTheKernels() {
        assumeTrue(kernel != null, skipReason);
        Instructions code = new ProgramBuilder().call(org.ebpf4j.spec.HelperFunction.GET_ATTACH_COOKIE.value())
                .exit().build();
        compare(ProgramType.RAW_TRACEPOINT, 0, code, List.of(TestRun.withoutData().ctx(longs(1, 2))));
    }

    @Test
    void syscallProgramsWriteTheirContextAsInTheKernel() {
        assumeTrue(kernel != null, skipReason);
        List<TestRun> runs = List.of(
                TestRun.withoutData().ctx(longs(0, 41, 0)),
                TestRun.withoutData().ctx(longs(7, -2, -1, 99)),
                TestRun.of(new byte[20]).ctx(longs(0, 1, 2)),
                TestRun.withoutData().ctx(longs(0, 1, 2)).repeat(3),
                TestRun.withoutData().ctx(new byte[65536]));
        compare(ProgramType.SYSCALL, ProgramLoadFlags.BPF_F_SLEEPABLE, SYSCALL, runs);
        byte[] onKernel = longs(3, 0x1_0000_0005L, 0);
        long expected = kernelProgram(ProgramType.SYSCALL, ProgramLoadFlags.BPF_F_SLEEPABLE, SYSCALL,
                p -> p.run(new SyscallContext(onKernel)));
        for (Backend jvm : JVM) {
            byte[] buffer = longs(3, 0x1_0000_0005L, 0);
            try (Collection c = jvm.load(spec(ProgramType.SYSCALL, ProgramLoadFlags.BPF_F_SLEEPABLE, SYSCALL))) {
                assertEquals(expected, c.program("ctx").run(new SyscallContext(buffer)), jvm.toString());
            }
            assertArrayEquals(onKernel, buffer, jvm + ": the buffer after the run");
        }
    }

    @Test
    void kprobeTracepointAndPerfEventRunOnBothEnginesOnly() {
        // kprobe: PT_REGS_PARM1 + PT_REGS_PARM2 * 2 - (u16) ip
        Instructions kprobe = new ProgramBuilder()
                .ldx(Size.DW, Register.R2, Register.R1, org.ebpf4j.spec.context.PtRegs.offsetOf("di"))
                .ldx(Size.DW, Register.R3, Register.R1, org.ebpf4j.spec.context.PtRegs.offsetOf("si"))
                .ldx(Size.H, Register.R4, Register.R1, org.ebpf4j.spec.context.PtRegs.offsetOf("ip"))
                .mov64(Register.R0, Register.R2).alu64(AluOp.ADD, Register.R0, Register.R3)
                .alu64(AluOp.ADD, Register.R0, Register.R3).alu64(AluOp.SUB, Register.R0, Register.R4)
                .exit().build();
        // tracepoint: the u32 at 8 plus the byte at 13
        Instructions tracepoint = new ProgramBuilder().ldx(Size.W, Register.R0, Register.R1, 8)
                .ldx(Size.B, Register.R2, Register.R1, 13).alu64(AluOp.ADD, Register.R0, Register.R2).exit().build();
        // perf event: sample_period's low half + addr + regs.ax
        Instructions perf = new ProgramBuilder().ldx(Size.W, Register.R0, Register.R1, 168)
                .ldx(Size.DW, Register.R2, Register.R1, 176).ldx(Size.DW, Register.R3, Register.R1, 80)
                .alu64(AluOp.ADD, Register.R0, Register.R2).alu64(AluOp.ADD, Register.R0, Register.R3).exit().build();
        byte[] record = new byte[24];
        ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1000).put(13, (byte) 0x80);
        for (Backend jvm : JVM) {
            try (Collection c = jvm.load(spec(ProgramType.KPROBE, 0, kprobe))) {
                assertEquals(10 + 2 * 20 - 0x1234, (int) c.program("ctx").run(PtRegs.ofArguments(10, 20)
                        .withIp(0xffff_1234L)), jvm.toString());
            }
            try (Collection c = jvm.load(spec(ProgramType.TRACEPOINT, 0, tracepoint))) {
                assertEquals(1000 + 0x80, c.program("ctx").run(new TracepointRecord(record)), jvm.toString());
                // Past the record: the kernel's attach would have refused a program reading there.
                assertThrows(RuntimeException.class, () -> c.program("ctx").run(new TracepointRecord(new byte[12])));
            }
            try (Collection c = jvm.load(spec(ProgramType.PERF_EVENT, 0, perf))) {
                assertEquals(0x10 + 0x200 + 0x3000, c.program("ctx").run(new PerfEventData(
                        PtRegs.zero().withAx(0x3000), 0x7777_0000_0010L, 0x200)), jvm.toString());
            }
        }
        if (kernel != null) {
            for (Instructions code : List.of(kprobe, tracepoint, perf)) {
                ProgramType type = code == kprobe ? ProgramType.KPROBE : code == tracepoint ? ProgramType.TRACEPOINT
                        : ProgramType.PERF_EVENT;
                try (Collection c = kernel.load(spec(type, 0, code))) {
                    assertThrows(UnsupportedOperationException.class,
                            () -> c.program("ctx").run(PtRegs.zero()), type.name());
                }
            }
        }
    }

    private static void compare(ProgramType type, int flags, Instructions code, List<TestRun> runs) {
        CollectionSpec spec = spec(type, flags, code);
        List<String> expected = new ArrayList<>();
        try (Collection c = kernel.load(spec)) {
            for (TestRun run : runs) {
                expected.add(BothBackends.outcome(() -> c.program("ctx").testRun(run)));
            }
        }
        for (Backend jvm : JVM) {
            List<String> actual = new ArrayList<>();
            try (Collection c = jvm.load(spec, LoadOptions.defaults())) {
                for (TestRun run : runs) {
                    actual.add(BothBackends.outcome(() -> c.program("ctx").testRun(run)));
                }
            }
            assertEquals(expected, actual, type + " on " + jvm);
        }
    }

    private static long kernelProgram(ProgramType type, int flags, Instructions code,
                                      java.util.function.ToLongFunction<Program> run) {
        try (Collection c = kernel.load(spec(type, flags, code))) {
            return run.applyAsLong(c.program("ctx"));
        }
    }

    private static CollectionSpec spec(ProgramType type, int flags, Instructions code) {
        ProgramSpec program = new ProgramSpec("ctx", "ctx", type, Optional.empty(), new AttachTarget.None(), flags,
                "GPL", 0, code, List.of(), List.of(), List.of(), List.of());
        return new CollectionSpec("ctx", Map.of("ctx", program), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }
}
