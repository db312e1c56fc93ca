package org.ebpf4j.elf.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the FFM harness itself against programs the kernel is known to accept: a deterministic sample of the
 * verifier corpus's {@code bytes_only} accepts that use plain hash and array maps. If one of these fails, the
 * harness (attribute layout, map creation, fd patching) is wrong, not the program.
 */
class VerifierCorpusKernelLoadTest {
    /** Enough to exercise both map types and several program types in well under a second. */
    private static final int SAMPLE = 20;
    private static final Set<Integer> PLAIN_MAPS = Set.of(MapType.HASH.value(), MapType.ARRAY.value());
    /** Types that need an attach target (BTF id, program or struct_ops map), which the corpus does not record. */
    private static final Set<Integer> NEEDS_ATTACH_TARGET = Set.of(ProgramType.TRACING.value(),
            ProgramType.LSM.value(), ProgramType.EXT.value(), ProgramType.STRUCT_OPS.value());

    @TestFactory
    Stream<DynamicTest> knownGoodProgramsLoadThroughTheHarness() {
        KernelAccess.assumeBpfPermitted();
        Path cases = VerifierCorpusCase.locateCorpus()
                .orElseGet(() -> abort("no shared/verifier-corpus beside " + Path.of("").toAbsolutePath()));
        List<VerifierCorpusCase> eligible = VerifierCorpusCase.readAll(cases).stream()
                .filter(VerifierCorpusKernelLoadTest::eligible)
                .toList();
        assertTrue(eligible.size() >= SAMPLE, "only " + eligible.size() + " eligible corpus cases");
        // Every k-th case, so the sample spans both the test_verifier tables and the verifier_*.c selftests.
        int stride = eligible.size() / SAMPLE;
        return IntStream.range(0, SAMPLE).mapToObj(i -> eligible.get(i * stride)).map(c -> DynamicTest.dynamicTest(
                cases.relativize(c.directory()).toString(), () -> assertKernelAccepts(c)));
    }

    private static boolean eligible(VerifierCorpusCase c) {
        return c.bytesOnlyVerdict().equals("accept")
                && !c.maps().isEmpty()
                && c.maps().stream().allMatch(m -> PLAIN_MAPS.contains(m.type()))
                && !NEEDS_ATTACH_TARGET.contains(c.programType())
                && Instructions.decode(c.program()).asList().stream().allMatch(VerifierCorpusKernelLoadTest::plain);
    }

    /** No kfunc calls (BTF ids of another kernel build) and no lddw forms other than immediates and maps. */
    private static boolean plain(Instruction insn) {
        if (insn.opcode() == (Opcode.JMP | Opcode.CALL)) {
            return insn.src() != 2;
        }
        return !insn.isLddw() || insn.src() <= MapFdPatcher.PSEUDO_MAP_VALUE;
    }

    private static void assertKernelAccepts(VerifierCorpusCase c) {
        List<Fd> maps = new ArrayList<>();
        try {
            for (int i = 0; i < c.maps().size(); i++) {
                VerifierCorpusCase.CorpusMap m = c.maps().get(i);
                maps.add(BpfCommands.createMap(new BpfCommands.MapAttributes("corpus_map_" + i, m.type(),
                        m.keySize(), m.valueSize(), m.maxEntries(), m.flags(), 0, 0, 0)));
            }
            Instructions patched = MapFdPatcher.patchEachMapLddw(Instructions.decode(c.program()),
                    index -> maps.get(index).value());
            var attributes = new BpfCommands.ProgramAttributes("corpus", c.programType(), patched.encode(),
                    c.license(), 0, c.programFlags(), c.expectedAttachType(), 0);
            switch (BpfCommands.loadProgram(attributes)) {
                case BpfCommands.LoadOutcome.Loaded loaded -> loaded.program().close();
                case BpfCommands.LoadOutcome.Rejected r -> fail("the kernel rejects " + c.directory()
                        + ", which it accepted when the corpus was recorded: " + BpfSyscallException.describe(r.errno())
                        + "\n--- verifier log ---\n" + r.log() + "\n--- program ---\n"
                        + Disassembler.llvmObjdump().disassemble(patched));
            }
        } finally {
            maps.forEach(Fd::close);
        }
    }
}
