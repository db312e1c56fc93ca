package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.TestRunResult;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.ContextField;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.ProgramContexts;
import org.ebpf4j.runtime.differential.BothBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@code struct __sk_buff} field a socket filter or TC program may read, read by a one-field program on the
 * JVM backend and in the kernel, over frames whose destination and EtherType vary and with and without a context:
 * the values the test run fills in must be the kernel's (cgroup skb programs, whose return value is 0 or 1, hand the
 * value out through {@code cb}). Every writable field is written too, and the context out
 * compared. Skipped where {@code bpf()} is not permitted.
 */
class SkbContextDifferentialTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final String skipReason = BothBackends.skipReason();
    /** Offset of {@code __sk_buff.cb}, which test runs give back. */
    private static final int CB = 48;

    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"SOCKET_FILTER", "SCHED_CLS", "CGROUP_SKB"})
    void readableFieldsHoldTheKernelsValues(ProgramType type) {
        assumeTrue(kernel != null, skipReason);
        ContextLayout layout = ProgramContexts.of(type).orElseThrow();
        int compared = 0;
        for (ContextField field : layout.fields()) {
            if (!field.access().readable() || field.access().packetPointer()) {
                continue;
            }
            for (int at = field.offset(); at < field.end(); at += Math.min(field.size(), 4)) {
                Size size = field.size() == 1 ? Size.B : field.size() == 8 ? Size.DW : Size.W;
                int read = at - (size == Size.DW ? at - field.offset() : 0);
                // cgroup skb programs return 0 or 1: the value goes out through cb[0..1] in the context instead.
                Instructions code = type == ProgramType.CGROUP_SKB
                        ? new ProgramBuilder().ldx(size, Register.R2, Register.R1, read)
                                .stx(Size.DW, Register.R1, CB, Register.R2).mov64(Register.R0, 1).exit().build()
                        : new ProgramBuilder().ldx(size, Register.R0, Register.R1, read).exit().build();
                compare(type, field.name() + "@" + at, code);
                compared++;
                if (size == Size.DW) {
                    break;
                }
            }
        }
        assertTrue(compared > 10);
    }

    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"SOCKET_FILTER", "SCHED_CLS", "CGROUP_SKB"})
    void writableFieldsComeBackInTheContext(ProgramType type) {
        assumeTrue(kernel != null, skipReason);
        ContextLayout layout = ProgramContexts.of(type).orElseThrow();
        for (ContextField field : layout.fields()) {
            if (!field.access().writable()) {
                continue;
            }
            ProgramBuilder b = new ProgramBuilder();
            if (field.size() == 8) {
                b.lddw(Register.R2, 0x1122_3344_5566_7788L).stx(Size.DW, Register.R1, field.offset(), Register.R2);
            } else {
                for (int at = field.offset(); at < field.end(); at += 4) {
                    b.st(Size.W, Register.R1, at, 0x5a00 + at);
                }
            }
            compare(type, "write " + field.name(), b.mov64(Register.R0, 0).exit().build());
        }
    }

    @org.junit.jupiter.api.Test
    void tcProgramsWriteThePacketThroughTheirPointers() {
        assumeTrue(kernel != null, skipReason);
        // r2 = data; r3 = data_end; if (data + 8 > data_end) return 0; *(u32 *)(data + 2) = ~len; return r3 - r2
        Instructions code = new ProgramBuilder()
                .ldx(Size.W, Register.R2, Register.R1, 76)
                .ldx(Size.W, Register.R3, Register.R1, 80)
                .ldx(Size.W, Register.R5, Register.R1, 0)
                .mov64(Register.R4, Register.R2)
                .alu64(org.ebpf4j.isa.AluOp.ADD, Register.R4, 8)
                .mov64(Register.R0, 0)
                .jump(org.ebpf4j.isa.JumpOp.JGT, Register.R4, Register.R3, "out")
                .alu64(org.ebpf4j.isa.AluOp.XOR, Register.R5, -1)
                .stx(Size.W, Register.R2, 2, Register.R5)
                .mov64(Register.R0, Register.R3)
                .alu64(org.ebpf4j.isa.AluOp.SUB, Register.R0, Register.R2)
                .label("out")
                .exit()
                .build();
        compare(ProgramType.SCHED_CLS, "packet write", code);
    }

    /** Loads {@code code} on both sides and compares every run; a program the kernel refuses is reported. */
    private static void compare(ProgramType type, String what, Instructions code) {
        CollectionSpec spec = collection(type, code);
        Collection onKernel;
        try {
            onKernel = kernel.load(spec);
        } catch (VerifierException e) {
            System.out.println(type + " " + what + ": the kernel refuses it: " + e.getMessage());
            return;
        }
        try (onKernel; Collection onJvm = new JvmBackend().load(spec, LoadOptions.defaults().unverified())) {
            for (TestRun run : runs()) {
                TestRunResult expected = onKernel.program("field").testRun(run);
                TestRunResult actual = onJvm.program("field").testRun(run);
                String where = type + " " + what + " on " + run.data().length + " bytes"
                        + (run.context() == null ? "" : " with a context");
                assertEquals(expected.returnValue(), actual.returnValue(), where);
                assertArrayEquals(expected.dataOut(), actual.dataOut(), where + ": data out");
                assertArrayEquals(expected.contextOut(), actual.contextOut(), where + ": context out");
            }
        }
    }

    private static CollectionSpec collection(ProgramType type, Instructions code) {
        ProgramSpec program = new ProgramSpec("field", "field", type, Optional.empty(), new AttachTarget.None(), 0,
                "GPL", 0, code, List.of(), List.of(), List.of(), List.of());
        return new CollectionSpec("field", Map.of("field", program), Map.of(), List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    /** Frames to every kind of destination, with Ethernet II and 802.3 headers, with and without a context. */
    private static List<TestRun> runs() {
        List<TestRun> runs = new ArrayList<>();
        byte[][] destinations = {new byte[6], {-1, -1, -1, -1, -1, -1}, {1, 0, 0x5e, 0, 0, 1}, {2, 0, 0, 0, 0, 7}};
        int[] types = {0x0800, 0x86dd, 0x0100};
        for (byte[] destination : destinations) {
            for (int etherType : types) {
                byte[] frame = Fixtures.packet(100);
                System.arraycopy(destination, 0, frame, 0, 6);
                frame[12] = (byte) (etherType >> 8);
                frame[13] = (byte) etherType;
                runs.add(TestRun.of(frame));
                if (destination == destinations[0]) {
                    // With a context, so that what cgroup skb programs copy into cb comes back.
                    runs.add(TestRun.of(frame).ctx(context()));
                }
            }
        }
        byte[] raw = Fixtures.packet(60);
        raw[12] = 0;
        raw[13] = 40;
        raw[14] = -1;
        raw[15] = -1;
        runs.add(TestRun.of(raw));
        runs.add(TestRun.of(Fixtures.packet(14)));
        runs.add(TestRun.of(Fixtures.packet(100)).ctx(context()));
        runs.add(TestRun.of(Fixtures.packet(100)).ctx(context()).repeat(3));
        return runs;
    }

    /** A {@code struct __sk_buff} that sets every field a test run accepts. */
    private static byte[] context() {
        ByteBuffer skb = ByteBuffer.allocate(192).order(ByteOrder.LITTLE_ENDIAN);
        skb.putInt(8, 3).putInt(32, 4).putInt(36, 1).putInt(40, 1);
        for (int i = 0; i < 5; i++) {
            skb.putInt(48 + 4 * i, 10 + i);
        }
        skb.putLong(152, 123).putInt(160, 200).putInt(164, 2).putInt(176, 100).putLong(184, 456);
        return skb.array();
    }
}
