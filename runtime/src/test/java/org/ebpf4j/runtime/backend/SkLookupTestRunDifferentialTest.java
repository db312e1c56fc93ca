package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.BpfSkLookup;
import org.ebpf4j.spec.context.ContextField;
import org.junit.jupiter.api.Test;

/**
 * sk_lookup test runs against the kernel's {@code bpf_prog_test_run_sk_lookup}: for every readable field and width
 * of {@code struct bpf_sk_lookup}, a program returns SK_PASS when the field reads as the caller's bytes there and
 * SK_DROP otherwise, so the kernel tells which fields a run shows as given (the family and protocol as 16 bits, the
 * other family's addresses as zero, the padding after remote_port as zero, no ingress device); both engines must
 * return what the kernel returns and give back the same context, and refuse the same inputs with the same errno.
 */
class SkLookupTestRunDifferentialTest {
    private static final String skipReason = BothBackends.skipReason();

    @Test
    void everyFieldReadsAsInTheKernel() {
        assumeTrue(BothBackends.kernel().isPresent(), skipReason);
        List<byte[]> contexts = List.of(lookup(2, 6, 0x3930, 80), lookup(10, 17, 0x3500, 53),
                lookup(0x10002, 0x10006, 0x3930, 80));
        int compared = 0;
        for (byte[] ctx : contexts) {
            for (ContextField field : BpfSkLookup.LAYOUT.fields()) {
                for (int width : new int[] {1, 2, 4, 8}) {
                    if (!field.access().readable() || !field.readableAs(width)) {
                        continue;
                    }
                    for (int off = field.offset(); field.covers(off, width); off += width) {
                        long given = ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).getLong(off & ~7)
                                >>> ((off & 7) * 8);
                        long expected = width == 8 ? given : given & ((1L << (width * 8)) - 1);
                        compare(reads(Size.ofBytes(width), off, expected), TestRun.withoutData().ctx(ctx),
                                field.name() + " " + width + " bytes at " + off);
                        compared++;
                    }
                }
            }
        }
        System.out.println("sk_lookup: " + compared + " field reads return the kernel's verdict on both engines");
    }

    @Test
    void refusedInputsGetTheKernelsErrno() {
        assumeTrue(BothBackends.kernel().isPresent(), skipReason);
        Instructions pass = new ProgramBuilder().mov64(Register.R0, 1).exit().build();
        byte[] withSk = lookup(2, 6, 1, 1);
        withSk[0] = 1;
        byte[] withIfindex = lookup(2, 6, 1, 1);
        withIfindex[64] = 1;
        List<TestRun> runs = new ArrayList<>(List.of(TestRun.withoutData().ctx(lookup(0, 6, 1, 1)),
                TestRun.withoutData().ctx(lookup(2, 6, 1, 0x10000)), TestRun.withoutData().ctx(withSk),
                TestRun.withoutData().ctx(withIfindex), TestRun.of(new byte[64]).ctx(lookup(2, 6, 1, 1)),
                TestRun.withoutData(), TestRun.withoutData().ctx(lookup(2, 6, 1, 1)).repeat(3)));
        for (TestRun run : runs) {
            compare(pass, run, "input " + runs.indexOf(run));
        }
    }

    /** r2 = *(width *)(ctx + off); return r2 == expected ? SK_PASS : SK_DROP. */
    private static Instructions reads(Size size, int off, long expected) {
        return new ProgramBuilder().ldx(size, Register.R2, Register.R1, off).lddw(Register.R3, expected)
                .mov64(Register.R0, 1).jump(JumpOp.JEQ, Register.R2, Register.R3, "same").mov64(Register.R0, 0)
                .label("same").exit().build();
    }

    private static void compare(Instructions code, TestRun run, String what) {
        CollectionSpec spec = KernelVerdicts.oneProgram("lookup", ProgramType.SK_LOOKUP,
                Optional.of(AttachType.SK_LOOKUP), 0, code);
        BothBackends.assertAllAgree(spec, "lookup", run, what);
    }

    /** A struct bpf_sk_lookup with both families' addresses filled (the run shows only its family's). */
    private static byte[] lookup(int family, int protocol, int remotePort, long localPort) {
        ByteBuffer b = ByteBuffer.allocate(BpfSkLookup.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, family).putInt(12, protocol).putInt(16, 0x0100007f).putShort(36, (short) remotePort)
                .putInt(40, 0x0200007f).putInt(60, (int) localPort);
        for (int i = 0; i < 16; i++) {
            b.put(20 + i, (byte) (0x20 + i)).put(44 + i, (byte) (0x40 + i));
        }
        return b.array();
    }
}
