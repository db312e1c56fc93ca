package org.ebpf4j.runtime.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.TestRun;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.backend.JvmBackend;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.corpus.CorpusCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JIT with the verifier's access facts (direct stack, context and packet accesses) against the reference: every
 * fixture program and every corpus case with a stated retval that ebpf4j's verifier accepts runs verified on the JIT
 * and unverified on the interpreter, which must observe the same return value, data out, context out and maps (the
 * fixtures' exclusions as {@link FixtureDifferentialTest} has them).
 */
class JitFactsDifferentialTest {
    /** The corpus cases run on a 64-byte packet: the types whose test run takes one as their input. */
    private static final Set<ProgramType> PACKET_TYPES = Set.of(ProgramType.XDP, ProgramType.SOCKET_FILTER,
            ProgramType.SCHED_CLS, ProgramType.SCHED_ACT);

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> programs() {
        return FixtureDifferentialTest.programs();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("programs")
    void verifiedFixturesAgreeWithTheInterpreter(String object, String program) {
        CollectionSpec spec = FixtureDifferentialTest.withOnly(
                FixtureDifferentialTest.load(Path.of("..", "fixtures", "obj").resolve(object)), program);
        ProgramType type = spec.program(program).type();
        assumeTrue(FixtureDifferentialTest.jvmTestRuns(type), "no JVM test run for its type");
        LoadOptions options = FixtureDifferentialTest.OPTIONS;
        var exclusion = FixtureDifferentialTest.EXCLUDED.get(FixtureDifferentialTest.stem(object) + "/" + program);
        for (TestRun run : FixtureDifferentialTest.inputs(type)) {
            Observed jit = observe(() -> new JvmBackend().withEngine(Engine.JIT).load(spec, options), program, run);
            if (!jit.loaded()) {
                abort("ebpf4j's verifier does not accept it: " + jit.outcome());
            }
            Observed reference = observe(() -> new JvmBackend().load(spec, options.unverified()), program, run);
            String where = object + " " + program + " on " + run.data().length + " bytes of data, "
                    + (run.context() == null ? 0 : run.context().length) + " of context";
            if (exclusion == null) {
                assertEquals(reference, jit, where);
            } else if (exclusion.compared() == FixtureDifferentialTest.Compared.RUN_NOT_MAPS) {
                assertEquals(reference.outcome(), jit.outcome(), where);
            } else {
                assertEquals(FixtureDifferentialTest.withoutReturnValue(reference.outcome()),
                        FixtureDifferentialTest.withoutReturnValue(jit.outcome()), where);
                assertEquals(reference.maps(), jit.maps(), where);
            }
        }
    }

    @Test
    void verifiedCorpusCasesAgreeWithTheInterpreter() throws IOException {
        Optional<Path> corpus = SharedGroundTruth.locate("verifier-corpus");
        assumeTrue(corpus.isPresent(), "shared/verifier-corpus not found next to the project");
        List<String> wrong = new ArrayList<>();
        int compared = 0;
        for (CorpusCase c : CorpusCase.readAll(corpus.get().resolve("cases"))) {
            Optional<ProgramType> type = ProgramType.of(c.options().programType());
            // A stated retval marks the deterministic cases (others read the clock or random numbers).
            if (c.expectedRetval().isEmpty() || !c.kernelVerdict().equals("accept") || type.isEmpty()
                    || !PACKET_TYPES.contains(type.get())) {
                continue;
            }
            CollectionSpec spec;
            try {
                spec = c.asCollection();
            } catch (IllegalArgumentException e) {
                continue;
            }
            TestRun run = TestRun.of(new byte[64]);
            Observed jit = observe(() -> new JvmBackend().withEngine(Engine.JIT).load(spec, LoadOptions.defaults()),
                    CorpusCase.PROGRAM, run);
            if (!jit.loaded()) {
                continue;
            }
            Observed reference = observe(() -> new JvmBackend().load(spec, LoadOptions.defaults().unverified()),
                    CorpusCase.PROGRAM, run);
            compared++;
            if (!reference.equals(jit)) {
                wrong.add(c.name() + ": JIT with facts " + jit + ", interpreter " + reference);
            }
        }
        System.out.printf("corpus cases verified by ebpf4j and run on the JIT with access facts: %d%n", compared);
        assertEquals(List.of(), wrong);
        assertTrue(compared >= 100, "only " + compared + " cases compared");
    }

    /**
     * A value's hex with every aligned 8-byte word that is a pointer to a shared region or a map handle (region id
     * 0x40000000 and up) replaced: those ids are given out per load, so they differ between the two loads compared.
     */
    private static String withoutSharedPointers(String hex) {
        StringBuilder out = new StringBuilder();
        for (int at = 0; at < hex.length(); at += 16) {
            String word = hex.substring(at, Math.min(hex.length(), at + 16));
            // Per-CPU values print as a list: only whole hex words can be pointers.
            boolean shared = word.length() == 16 && word.chars()
                    .allMatch(HexFormat::isHexDigit)
                    && Integer.reverseBytes(Integer.parseUnsignedInt(word.substring(8), 16)) >= 0x4000_0000;
            out.append(shared ? "<shared pointer>" : word);
        }
        return out.toString();
    }

    /** A load and one test run: the outcome as {@link BothBackends#outcome} tells it, and the maps after. */
    private record Observed(boolean loaded, String outcome, Map<String, Map<String, String>> maps) {}

    private static Observed observe(Supplier<Collection> load, String program, TestRun run) {
        Collection collection;
        try {
            collection = load.get();
        } catch (VerifierException e) {
            return new Observed(false, "refused: " + e.getMessage().lines().findFirst().orElse(""), Map.of());
        } catch (BpfException | UnsupportedOperationException e) {
            return new Observed(false, "not loaded: " + e.getMessage(), Map.of());
        }
        try (collection) {
            String outcome;
            try {
                outcome = BothBackends.outcome(() -> collection.program(program).testRun(run));
            } catch (BpfException | UnsupportedOperationException e) {
                outcome = "fault: " + e.getMessage();
            }
            Map<String, Map<String, String>> maps = new java.util.TreeMap<>();
            BothBackends.contents(collection).forEach((name, entries) -> {
                Map<String, String> values = new java.util.TreeMap<>();
                entries.forEach((key, value) -> values.put(key, withoutSharedPointers(value)));
                maps.put(name, values);
            });
            return new Observed(true, outcome, maps);
        }
    }
}
