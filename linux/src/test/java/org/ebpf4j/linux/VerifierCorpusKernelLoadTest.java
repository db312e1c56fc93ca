package org.ebpf4j.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks the backend against programs the kernel is known to accept: a deterministic sample of the verifier
 * corpus's {@code bytes_only} accepts that use plain hash and array maps, each turned into a {@link CollectionSpec}
 * (the corpus's map indexes become symbolic map references) and loaded through {@link LinuxBackend}. If one of
 * these fails, the backend (attribute layout, map creation, fd patching) is wrong, not the program.
 */
class VerifierCorpusKernelLoadTest {
    /** Enough to exercise both map types and several program types in well under a second. */
    private static final int SAMPLE = 20;
    private static final Set<Integer> PLAIN_MAPS = Set.of(MapType.HASH.value(), MapType.ARRAY.value());
    /** Types that need an attach target (BTF id, program or struct_ops map), which the corpus does not record. */
    private static final Set<Integer> NEEDS_ATTACH_TARGET = Set.of(ProgramType.TRACING.value(),
            ProgramType.LSM.value(), ProgramType.EXT.value(), ProgramType.STRUCT_OPS.value());

    @TestFactory
    Stream<DynamicTest> knownGoodProgramsLoadThroughTheBackend() {
        LinuxBackend backend = KernelTests.backend();
        Path cases = VerifierCorpusCase.locateCorpus()
                .orElseGet(() -> abort("no shared/verifier-corpus beside " + Path.of("").toAbsolutePath()));
        List<VerifierCorpusCase> eligible = VerifierCorpusCase.readAll(cases).stream()
                .filter(VerifierCorpusKernelLoadTest::eligible)
                .toList();
        assertTrue(eligible.size() >= SAMPLE, "only " + eligible.size() + " eligible corpus cases");
        // Every k-th case, so the sample spans both the test_verifier tables and the verifier_*.c selftests.
        int stride = eligible.size() / SAMPLE;
        return IntStream.range(0, SAMPLE).mapToObj(i -> eligible.get(i * stride)).map(c -> DynamicTest.dynamicTest(
                cases.relativize(c.directory()).toString(), () -> assertKernelAccepts(backend, c)));
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
        return !insn.isLddw() || insn.src() <= Opcode.PSEUDO_MAP_VALUE;
    }

    private static void assertKernelAccepts(LinuxBackend backend, VerifierCorpusCase c) {
        CollectionSpec spec = asCollection(c);
        try (Collection loaded = backend.load(spec)) {
            assertTrue(loaded.programs().containsKey("corpus"));
        } catch (VerifierException r) {
            fail("the kernel rejects " + c.directory() + ", which it accepted when the corpus was recorded: "
                    + r.getMessage() + "\n--- verifier log ---\n" + r.log() + "\n--- program ---\n"
                    + Disassembler.llvmObjdump().disassemble(spec.program("corpus").instructions()));
        }
    }

    /**
     * The case as an object would give it: maps {@code corpus_map_N}, and each map lddw (imm = index N, offset in
     * the upper half) turned back into imm 0 plus a {@link ProgramSpec.MapReference}, for the backend to patch.
     */
    static CollectionSpec asCollection(VerifierCorpusCase c) {
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        for (int i = 0; i < c.maps().size(); i++) {
            VerifierCorpusCase.CorpusMap m = c.maps().get(i);
            maps.put("corpus_map_" + i, new MapSpec("corpus_map_" + i, MapType.require(m.type()), m.keySize(),
                    m.valueSize(), m.maxEntries(), m.flags(), MapPinning.NONE, 0, 0, Optional.empty(), List.of(),
                    false, 0, 0, MapSpec.Origin.LEGACY));
        }
        Instructions code = Instructions.decode(c.program());
        List<Instruction> symbolic = new ArrayList<>();
        List<ProgramSpec.MapReference> references = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {
            Instruction insn = code.get(i);
            if (insn.isLddw() && (insn.src() == Opcode.PSEUDO_MAP_FD
                    || insn.src() == Opcode.PSEUDO_MAP_VALUE)) {
                boolean value = insn.src() == Opcode.PSEUDO_MAP_VALUE;
                references.add(new ProgramSpec.MapReference(code.slotOf(i), "corpus_map_" + insn.imm32(), value,
                        (int) (insn.imm() >>> 32)));
                insn = new Instruction(insn.opcode(), insn.dst(), insn.src(), insn.offset(),
                        insn.imm() & 0xffff_ffff_0000_0000L);
            }
            symbolic.add(insn);
        }
        ProgramSpec program = new ProgramSpec("corpus", "corpus", ProgramType.require(c.programType()),
                AttachType.of(c.expectedAttachType()), new AttachTarget.None(), c.programFlags(), c.license(), 0,
                Instructions.of(symbolic), references, List.of(), List.of(), List.of());
        return new CollectionSpec("corpus", Map.of("corpus", program), maps, List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }
}
