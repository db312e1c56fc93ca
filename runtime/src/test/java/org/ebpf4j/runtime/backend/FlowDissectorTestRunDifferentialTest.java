package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * Flow dissector test runs against the kernel's {@code bpf_prog_test_run_flow_dissector}: a program returns the
 * frame's 15th byte (read through data and data_end) or 0; return value, the flow keys given as data out, the
 * context out and the errno of refused inputs must be the kernel's on the interpreter and the JIT.
 */
class FlowDissectorTestRunDifferentialTest {
    private static final String SOURCE = "r0 = 0\nr2 = *(u32 *)(r1 + 0x4c)\nr3 = *(u32 *)(r1 + 0x50)\nr4 = r2\n"
            + "r4 += 15\nif r4 > r3 goto +1\nr0 = *(u8 *)(r2 + 0xe)\nexit\n";

    @Test
    void runsAsInTheKernel() {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends.skipReason());
        CollectionSpec spec = KernelVerdicts.oneProgram("flow", ProgramType.FLOW_DISSECTOR,
                Optional.of(AttachType.FLOW_DISSECTOR), 0, Assembler.assemble(SOURCE));
        byte[] frame = new byte[64];
        frame[12] = (byte) 0x86;
        frame[13] = (byte) 0xdd;
        frame[14] = 0x60;
        byte[] flags = new byte[56];
        flags[48] = 1;
        byte[] notFlags = new byte[56];
        notFlags[10] = 8;
        List<TestRun> runs = List.of(TestRun.of(frame), TestRun.of(frame).ctx(flags), TestRun.of(frame).ctx(notFlags),
                TestRun.of(new byte[14]), TestRun.of(new byte[13]), TestRun.of(new byte[4096]),
                TestRun.of(new byte[4097]), TestRun.of(frame).repeat(3));
        for (TestRun run : runs) {
            String what = "input " + runs.indexOf(run);
            System.out.println("flow dissector " + what + ": " + BothBackends.assertAllAgree(spec, "flow", run, what)
                    .run());
        }
    }
}
