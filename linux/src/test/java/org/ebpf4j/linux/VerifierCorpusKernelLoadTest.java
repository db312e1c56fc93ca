package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.conformance.SharedGroundTruth;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.corpus.CorpusCase;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the backend against programs the kernel is known to accept: a deterministic sample of the verifier
 * corpus's {@code bytes_only} accepts that use plain hash and array maps, each turned into a {@link CollectionSpec}
 * by {@link CorpusCase#asCollection} and loaded through {@link LinuxBackend}. If one of these fails, the backend
 * (attribute layout, map creation, fd patching) is wrong, not the program.
 */
class VerifierCorpusKernelLoadTest {
    /** Enough to exercise both map types and several program types in well under a second. */
    private static final int SAMPLE = 20;
    private static final Set<MapType> PLAIN_MAPS = Set.of(MapType.HASH, MapType.ARRAY);
    /** Types that need an attach target (BTF id, program or struct_ops map), which the corpus does not record. */
    private static final Set<Integer> NEEDS_ATTACH_TARGET = Set.of(ProgramType.TRACING.value(),
            ProgramType.LSM.value(), ProgramType.EXT.value(), ProgramType.STRUCT_OPS.value());

    @TestFactory
    Stream<DynamicTest> knownGoodProgramsLoadThroughTheBackend() throws IOException {
        LinuxBackend backend = KernelTests.backend();
        Path cases = SharedGroundTruth.locate("verifier-corpus").map(corpus -> corpus.resolve("cases"))
                .orElseGet(() -> abort("no shared/verifier-corpus beside " + Path.of("").toAbsolutePath()));
        List<CorpusCase> eligible = CorpusCase.readAll(cases).stream()
                .filter(VerifierCorpusKernelLoadTest::eligible)
                .toList();
        assertTrue(eligible.size() >= SAMPLE, "only " + eligible.size() + " eligible corpus cases");
        // Every k-th case, so the sample spans both the test_verifier tables and the verifier_*.c selftests.
        int stride = eligible.size() / SAMPLE;
        return IntStream.range(0, SAMPLE).mapToObj(i -> eligible.get(i * stride)).map(c -> DynamicTest.dynamicTest(
                c.name(), () -> assertKernelAccepts(backend, c)));
    }

    private static boolean eligible(CorpusCase c) {
        return c.kernelVerdict().equals("accept")
                && !c.options().maps().isEmpty()
                && c.options().maps().stream().allMatch(m -> PLAIN_MAPS.contains(m.type()))
                && !NEEDS_ATTACH_TARGET.contains(c.options().programType())
                && Instructions.decode(c.code()).asList().stream().allMatch(VerifierCorpusKernelLoadTest::plain);
    }

    /** No kfunc calls (BTF ids of another kernel build) and no lddw forms other than immediates and maps. */
    private static boolean plain(Instruction insn) {
        if (insn.opcode() == (Opcode.JMP | Opcode.CALL)) {
            return insn.src() != 2;
        }
        return !insn.isLddw() || insn.src() <= Opcode.PSEUDO_MAP_VALUE;
    }

    private static void assertKernelAccepts(LinuxBackend backend, CorpusCase c) {
        CollectionSpec spec = c.asCollection();
        try (Collection loaded = backend.load(spec)) {
            assertTrue(loaded.programs().containsKey(CorpusCase.PROGRAM));
        } catch (VerifierException r) {
            fail("the kernel rejects " + c.name() + ", which it accepted when the corpus was recorded: "
                    + r.getMessage() + "\n--- verifier log ---\n" + r.log() + "\n--- program ---\n"
                    + Disassembler.llvmObjdump().disassemble(spec.program(CorpusCase.PROGRAM).instructions()));
        }
    }
}
