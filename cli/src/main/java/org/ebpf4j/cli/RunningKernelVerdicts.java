package org.ebpf4j.cli;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.linux.LinuxBackend;
import org.ebpf4j.linux.LinuxBpfException;
import org.ebpf4j.spec.AttachTarget;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.CollectionSpec;
import org.ebpf4j.spec.MapPinning;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.corpus.CorpusCase;

/**
 * The running kernel's verdicts on verifier corpus cases, for {@code corpus --kernel}: each case loaded through
 * {@link LinuxBackend} as an object would give it, so that the corpus's recorded Linux 6.18 verdicts can be checked
 * against the kernel at hand. The verdicts are the corpus's words: {@code accept}, {@code reject} (by the verifier,
 * with a log), {@code env} (the kernel refused before its verifier ran, or could not create a map); and
 * {@value #NOT_LOADED} for a case that ebpf4j cannot hand to the kernel: bytes that do not decode as instructions
 * (a malformed lddw, on purpose; the backend loads programs, not bytes), what the backend's own checks refuse (a
 * map reference it cannot patch, a program type that needs an attach target the corpus does not record), a map of
 * maps whose inner map the corpus does not record.
 */
final class RunningKernelVerdicts {
    static final String NOT_LOADED = "not_loaded";
    private static final String PROGRAM = "corpus";

    /** @param message the kernel's rejection or refusal ("" when accepted) */
    record KernelVerdict(String verdict, String message) {}

    private final LinuxBackend backend;

    /** @throws org.ebpf4j.linux.LinuxBpfException when bpf() is not permitted, saying what is needed */
    RunningKernelVerdicts() {
        this.backend = LinuxBackend.open();
    }

    KernelVerdict of(CorpusCase c) {
        CollectionSpec spec;
        try {
            spec = asCollection(c);
        } catch (BpfException | IllegalArgumentException e) {
            return new KernelVerdict(NOT_LOADED, e.getMessage());
        }
        try (Collection loaded = backend.load(spec)) {
            return new KernelVerdict("accept", "");
        } catch (VerifierException e) {
            return new KernelVerdict("reject", CorpusCase.rejectionMessage(e.log()));
        } catch (LinuxBpfException e) {
            return new KernelVerdict("env", e.getMessage());
        } catch (BpfException | IllegalArgumentException e) {
            return new KernelVerdict(NOT_LOADED, e.getMessage());
        }
    }

    /** Whether the running kernel saw the case and answered otherwise than the corpus records. */
    static boolean differs(CorpusCase c, KernelVerdict now) {
        return !now.verdict().equals(NOT_LOADED) && !now.verdict().equals(recorded(c));
    }

    /** The corpus's recorded verdict in the same words: a log overflow counts as {@code env}, as the report does. */
    static String recorded(CorpusCase c) {
        return c.isEnvironmentFailure() ? "env" : c.kernelVerdict();
    }

    /**
     * The case as an object would give it: its maps as {@code corpus_map_N}, each map lddw (imm = index N, value
     * offset in the second half) turned back into imm 0 plus a {@link ProgramSpec.MapReference} for the backend to
     * put the map's fd in. Other lddw forms and calls go to the kernel as recorded.
     */
    static CollectionSpec asCollection(CorpusCase c) {
        List<MapSpec> caseMaps = c.options().maps();
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        for (int i = 0; i < caseMaps.size(); i++) {
            MapSpec m = caseMaps.get(i);
            if ((m.type() == MapType.ARRAY_OF_MAPS || m.type() == MapType.HASH_OF_MAPS) && m.innerMap().isEmpty()) {
                throw new IllegalArgumentException("map " + i + " (" + m.type() + ") has no inner map in the corpus,"
                        + " which the kernel needs to create it");
            }
            maps.put(mapName(i), renamed(m, mapName(i)));
        }
        Instructions code = Instructions.decode(c.code());
        List<Instruction> symbolic = new ArrayList<>();
        List<ProgramSpec.MapReference> references = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {
            Instruction insn = code.get(i);
            if (insn.isLddw() && (insn.src() == Opcode.PSEUDO_MAP_FD || insn.src() == Opcode.PSEUDO_MAP_VALUE)) {
                boolean value = insn.src() == Opcode.PSEUDO_MAP_VALUE;
                references.add(new ProgramSpec.MapReference(code.slotOf(i), mapName(insn.imm32()), value,
                        (int) (insn.imm() >>> 32)));
                insn = new Instruction(insn.opcode(), insn.dst(), insn.src(), insn.offset(),
                        insn.imm() & 0xffff_ffff_0000_0000L);
            }
            symbolic.add(insn);
        }
        ProgramSpec program = new ProgramSpec(PROGRAM, PROGRAM, ProgramType.require(c.options().programType()),
                AttachType.of(c.options().expectedAttachType()), new AttachTarget.None(), c.options().programFlags(),
                c.options().license(), 0, Instructions.of(symbolic), references, List.of(), List.of(), List.of());
        return new CollectionSpec(PROGRAM, Map.of(PROGRAM, program), maps, List.of(), Optional.empty(),
                ByteOrder.LITTLE_ENDIAN);
    }

    private static String mapName(int index) {
        return "corpus_map_" + index;
    }

    private static MapSpec renamed(MapSpec m, String name) {
        return new MapSpec(name, m.type(), m.keySize(), m.valueSize(), m.maxEntries(), m.flags(), MapPinning.NONE,
                m.numaNode(), m.mapExtra(), m.innerMap(), m.contents(), m.frozen(), m.btfKeyTypeId(),
                m.btfValueTypeId(), m.origin());
    }
}
