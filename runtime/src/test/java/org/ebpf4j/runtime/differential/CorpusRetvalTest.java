package org.ebpf4j.runtime.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.corpus.CorpusCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The corpus cases that state a retval and that Linux accepted, run as the kernel's harness ran them
 * ({@code BPF_PROG_TEST_RUN} on 64 zero bytes) on the JVM backend: r0 must be the stated retval (but for the few
 * that need input the corpus lacks), and where {@code bpf()} is permitted the kernel runs each case too and must
 * return exactly what the JVM returns. Cases of program types the JVM backend
 * cannot test-run, or using maps or helpers it does not have yet, are counted by reason, not compared.
 */
class CorpusRetvalTest {
    private static final Set<ProgramType> RUNNABLE = Set.of(ProgramType.SOCKET_FILTER, ProgramType.SCHED_CLS,
            ProgramType.SCHED_ACT, ProgramType.XDP, ProgramType.CGROUP_SKB);
    private static final String PROGRAM = CorpusCase.PROGRAM;
    /**
     * Cases whose stated retval comes from input the corpus does not carry (test_verifier's {@code .data}, a
     * selftest's own packet): on 64 zero bytes the running kernel returns what ebpf4j returns, not the stated value.
     * Found by running every case in the kernel; they are compared with the kernel only.
     */
    private static final Set<String> NEEDS_OWN_INPUT = Set.of("test_verifier/0382", "test_verifier/0384",
            "test_verifier/0385", "test_verifier/0387", "test_verifier/0388", "test_verifier/0391",
            "test_verifier/0393", "test_verifier/0394", "test_verifier/0399", "test_verifier/0402",
            "test_verifier/0405", "test_verifier/0412", "test_verifier/0413", "test_verifier/0446",
            "test_verifier/0447", "test_verifier/0451", "test_verifier/0453",
            "verifier_progs/verifier_value_ptr_arith.bpf.o/12", "verifier_progs/verifier_value_ptr_arith.bpf.o/26",
            "verifier_progs/verifier_value_ptr_arith.bpf.o/27", "verifier_progs/verifier_value_ptr_arith.bpf.o/30",
            "verifier_progs/verifier_value_ptr_arith.bpf.o/31", "verifier_progs/verifier_value_ptr_arith.bpf.o/34");

    @ParameterizedTest
    @EnumSource(value = Engine.class)
    void retvalsAreTheKernels(Engine engine) throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        JvmBackend jvm = new JvmBackend().withEngine(engine);
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        int ran = 0;
        int kernelCompared = 0;
        for (CorpusCase c : CorpusCase.readAll(corpus.get().resolve("cases"))) {
            if (c.expectedRetval().isEmpty() || !c.kernelVerdict().equals("accept")) {
                continue;
            }
            Optional<ProgramType> type = ProgramType.of(c.options().programType());
            if (type.isEmpty() || !RUNNABLE.contains(type.get())) {
                skipped.merge("program type " + type.map(Enum::name).orElse("?") + " has no JVM test run", 1,
                        Integer::sum);
                continue;
            }
            CollectionSpec spec;
            try {
                spec = c.asCollection();
            } catch (IllegalArgumentException e) {
                skipped.merge(firstWords(e.getMessage()), 1, Integer::sum);
                continue;
            }
            TestRun run = TestRun.of(new byte[64]);
            long r0;
            // The kernel verified these bytes; ebpf4j's verifier may not handle them all yet.
            try (Collection loaded = jvm.load(spec, LoadOptions.defaults().unverified())) {
                r0 = loaded.program(PROGRAM).testRun(run).returnValue();
            } catch (BpfException | UnsupportedOperationException e) {
                skipped.merge(firstWords(e.getMessage()), 1, Integer::sum);
                continue;
            }
            ran++;
            if (!NEEDS_OWN_INPUT.contains(c.name()) && (int) r0 != (int) c.expectedRetval().getAsLong()) {
                wrong.add(c.name() + ": r0 " + r0 + ", the kernel's harness expects " + c.expectedRetval().getAsLong());
            }
            if (BothBackends.kernel().isPresent()) {
                try (Collection inKernel = BothBackends.kernel().get().load(spec, LoadOptions.defaults())) {
                    long kernelR0 = inKernel.program(PROGRAM).testRun(run).returnValue();
                    kernelCompared++;
                    if ((int) kernelR0 != (int) r0) {
                        wrong.add(c.name() + ": r0 " + r0 + ", the running kernel returns " + kernelR0);
                    }
                }
            }
        }
        System.out.printf("corpus retvals on %s: %d ran (%d also in the kernel), not run: %s%n", engine, ran,
                kernelCompared, skipped);
        assertEquals(List.of(), wrong);
        assertTrue(ran >= 455, "only " + ran + " cases ran");
    }

    private static String firstWords(String message) {
        String m = message == null ? "?" : message.replaceAll("'[^']*'", "'...'").replaceAll("\\d+", "N");
        return m.length() > 90 ? m.substring(0, 90) : m;
    }
}
