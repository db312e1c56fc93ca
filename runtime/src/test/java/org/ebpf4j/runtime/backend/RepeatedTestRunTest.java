package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The repeats of one test run keep the packet and context mapped between runs unless a run moved the frame
 * ({@code Runs.repeat}): every run must still start as the first did, on a zeroed stack and on a mapping that a
 * fresh mapping would give, while the frame's moves accumulate as in the kernel's xdp_buff.
 */
class RepeatedTestRunTest {
    private static final int PACKET = 64;
    /** struct xdp_md's data and data_end. */
    private static final int DATA = 0;
    private static final int DATA_END = 4;
    /** The whole frame is cleared for unverified programs, whose stack depth nobody has proven. */
    private static final LoadOptions UNVERIFIED = LoadOptions.defaults().unverified();

    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyRepeatStartsOnAZeroedStack(Engine engine) {
        // r0 = the top and bottom words of the frame, then both written: a later run would see them if left there.
        Instructions code = new ProgramBuilder()
                .ldx(Size.DW, Register.R0, Register.R10, -8)
                .ldx(Size.DW, Register.R2, Register.R10, -512)
                .alu64(AluOp.OR, Register.R0, Register.R2)
                .st(Size.DW, Register.R10, -8, 7)
                .st(Size.DW, Register.R10, -512, 7)
                .exit()
                .build();
        assertEquals(0, run(engine, code, 5, UNVERIFIED).returnValue());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aVerifiedProgramsStackIsClearedToItsDepth(Engine engine) {
        // Verified (privileged, so the read of unwritten stack is allowed): stack depth 16, all a run clears there.
        Instructions code = new ProgramBuilder()
                .ldx(Size.DW, Register.R0, Register.R10, -16)
                .st(Size.DW, Register.R10, -16, 7)
                .exit()
                .build();
        assertEquals(0, run(engine, code, 5, LoadOptions.defaults()).returnValue());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void runsThatMoveNothingSeeTheSamePointers(Engine engine) {
        Instructions code = packetPointerAndLength(new ProgramBuilder()).exit().build();
        long first = run(engine, code, 1, UNVERIFIED).returnValue();
        assertEquals(PACKET, first & 0xffff);
        assertEquals(first, run(engine, code, 4, UNVERIFIED).returnValue());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRunAfterAHeadMoveSeesTheFrameMappedAfresh(Engine engine) {
        // The pointers and length of the packet as the run starts, then the head 2 bytes further.
        Instructions code = packetPointerAndLength(new ProgramBuilder())
                .mov64(Register.R6, Register.R0)
                .mov64(Register.R2, 2)
                .call(HelperFunction.XDP_ADJUST_HEAD.value())
                .mov64(Register.R0, Register.R6)
                .exit()
                .build();
        long first = run(engine, code, 1, UNVERIFIED).returnValue();
        TestRunResult fourth = run(engine, code, 4, UNVERIFIED);
        assertEquals(first - 3 * 2, fourth.returnValue(), "the region of a fresh mapping, 6 bytes shorter");
        assertEquals(PACKET - 4 * 2, fourth.dataOut().length);
    }

    /** r0 = the region id of {@code data} << 16 | data_end - data, with r1 kept as the context. */
    private static ProgramBuilder packetPointerAndLength(ProgramBuilder code) {
        return code
                .ldx(Size.W, Register.R2, Register.R1, DATA)
                .ldx(Size.W, Register.R0, Register.R1, DATA_END)
                .alu64(AluOp.SUB, Register.R0, Register.R2)
                .alu64(AluOp.RSH, Register.R2, 32)
                .alu64(AluOp.LSH, Register.R2, 16)
                .alu64(AluOp.OR, Register.R0, Register.R2);
    }

    private static TestRunResult run(Engine engine, Instructions code, int repeat, LoadOptions options) {
        ProgramSpec program = new ProgramSpec("repeated", "xdp", ProgramType.XDP, Optional.empty(),
                new AttachTarget.None(), 0, "GPL", 0, code, List.of(), List.of(), List.of(), List.of());
        CollectionSpec spec = new CollectionSpec("repeated", Map.of("repeated", program), Map.of(), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
        try (Collection c = new JvmBackend().withEngine(engine).load(spec, options)) {
            return c.program("repeated").testRun(TestRun.of(Fixtures.packet(PACKET)).repeat(repeat));
        }
    }
}
