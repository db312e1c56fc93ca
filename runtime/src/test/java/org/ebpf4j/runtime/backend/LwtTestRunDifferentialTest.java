package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lightweight tunnel programs against the kernel's skb test run: each type reads the packet from its network
 * header and the skb's fields, lwt xmit programs also write the packet and cb; return value, data out and context
 * out must be the kernel's on the interpreter and the JIT.
 */
class LwtTestRunDifferentialTest {
    /** r0 = len + data[0] + mark + cb[0]; lwt xmit also stores 0x5a in data[1] and 7 in cb[1]. */
    private static String source(ProgramType type) {
        String write = type == ProgramType.LWT_XMIT ? "*(u8 *)(r2 + 0x1) = 0x5a\n*(u32 *)(r1 + 0x34) = 7\n" : "";
        return "r0 = 0\nr2 = *(u32 *)(r1 + 0x4c)\nr3 = *(u32 *)(r1 + 0x50)\nr4 = r2\nr4 += 2\n"
                + "if r4 > r3 goto +7\n" + write + "r0 = *(u8 *)(r2 + 0x0)\nr5 = *(u32 *)(r1 + 0x0)\nr0 += r5\n"
                + "r5 = *(u32 *)(r1 + 0x8)\nr0 += r5\nr5 = *(u32 *)(r1 + 0x30)\nr0 += r5\nexit\n";
    }

    @ParameterizedTest
    @EnumSource(value = ProgramType.class, names = {"LWT_IN", "LWT_OUT", "LWT_XMIT"})
    void runsAsInTheKernel(ProgramType type) {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends.skipReason());
        String text = source(type);
        if (type == ProgramType.LWT_XMIT) {
            text = text.replace("goto +7", "goto +9");
        }
        CollectionSpec spec = KernelVerdicts.oneProgram("lwt", type, Optional.empty(), 0, Assembler.assemble(text));
        byte[] frame = new byte[64];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[15] = 0x11;
        byte[] skb = new byte[192];
        skb[8] = 3;
        skb[48] = 40;
        for (TestRun run : List.of(TestRun.of(frame), TestRun.of(frame).ctx(skb), TestRun.of(new byte[14]))) {
            BothBackends.assertAllAgree(spec, "lwt", run, type + " " + run);
        }
    }
}
