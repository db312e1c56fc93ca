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
 * Netfilter test runs without a context against the kernel's {@code bpf_prog_test_run_nf}: the return value (a
 * program returning NF_ACCEPT), and the errno of packets too short or too long, on the interpreter and the JIT.
 */
class NetfilterTestRunDifferentialTest {
    @Test
    void runsAsInTheKernel() {
        assumeTrue(BothBackends.kernel().isPresent(), BothBackends.skipReason());
        CollectionSpec spec = KernelVerdicts.oneProgram("nf", ProgramType.NETFILTER, Optional.of(AttachType.NETFILTER),
                0, Assembler.assemble("r0 = 1\nexit\n"));
        List<TestRun> runs = List.of(TestRun.of(new byte[20]), TestRun.of(new byte[19]), TestRun.of(new byte[64]),
                TestRun.of(new byte[3712]), TestRun.of(new byte[3713]), TestRun.of(new byte[64]).repeat(4));
        for (TestRun run : runs) {
            String what = "input " + runs.indexOf(run);
            System.out.println("netfilter " + what + ": " + BothBackends.assertAllAgree(spec, "nf", run, what).run());
        }
    }
}
