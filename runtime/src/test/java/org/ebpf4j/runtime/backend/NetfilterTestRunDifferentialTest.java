package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramSpec;
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
        ProgramSpec program = new ProgramSpec("nf", "netfilter", ProgramType.NETFILTER,
                Optional.of(AttachType.NETFILTER), new AttachTarget.None(), 0, "GPL", 0,
                Assembler.assemble("r0 = 1\nexit\n"), List.of(), List.of(), List.of(), List.of());
        CollectionSpec spec = new CollectionSpec("nf", Map.of("nf", program), Map.of(), List.of(),
                Optional.empty(), ByteOrder.LITTLE_ENDIAN);
        List<TestRun> runs = List.of(TestRun.of(new byte[20]), TestRun.of(new byte[19]), TestRun.of(new byte[64]),
                TestRun.of(new byte[3712]), TestRun.of(new byte[3713]), TestRun.of(new byte[64]).repeat(4));
        for (TestRun run : runs) {
            String what = "input " + runs.indexOf(run);
            BothBackends.Observation kernel = BothBackends.onKernel(spec, "nf", run, LoadOptions.defaults());
            System.out.println("netfilter " + what + ": " + kernel.run());
            assertEquals(kernel, BothBackends.onJvm(spec, "nf", run, LoadOptions.defaults()), what);
            try (var jit = new JvmBackend().withEngine(Engine.JIT).load(spec)) {
                assertEquals(kernel.run(), BothBackends.outcome(() -> jit.program("nf").testRun(run)),
                        what + " (JIT)");
            }
        }
    }
}
