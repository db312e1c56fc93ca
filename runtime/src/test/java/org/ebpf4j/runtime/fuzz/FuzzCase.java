package org.ebpf4j.runtime.fuzz;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Disassembler;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.corpus.CorpusCase;

/**
 * One fuzzed program: its instructions in the kernel's loaded form (map lddw imm = index into the options' maps),
 * how it is loaded, and where it came from ({@code origin} names the generator or the mutated program and the seed
 * that reproduces it).
 */
record FuzzCase(String origin, Instructions program, VerifierOptions options) {
    /** Helpers whose result differs between two runs: time and random numbers. */
    private static final Set<Integer> VARYING = Set.of(HelperFunction.KTIME_GET_NS.value(),
            HelperFunction.GET_PRANDOM_U32.value(), HelperFunction.KTIME_GET_BOOT_NS.value(),
            HelperFunction.KTIME_GET_COARSE_NS.value(), HelperFunction.KTIME_GET_TAI_NS.value(),
            HelperFunction.JIFFIES64.value());

    /** Whether two runs on the same input must end the same way: no helper that reads a clock or a random source. */
    boolean deterministic() {
        for (var insn : program) {
            if (insn.isHelperCall() && VARYING.contains(insn.imm32())) {
                return false;
            }
        }
        return true;
    }

    ProgramType type() {
        return ProgramType.require(options.programType());
    }

    Verdict verify() {
        return Verifier.verify(program, options);
    }

    /** The case as the corpus reader gives one, so that {@link CorpusCase#asCollection()} loads it on a backend. */
    CorpusCase asCorpusCase() {
        return new CorpusCase(origin, program.encode(), options, "", 0, "", OptionalLong.empty(), Optional.empty());
    }

    /** What a failure prints: the origin (with the seed), the program type, the maps and the disassembly. */
    String describe() {
        StringBuilder out = new StringBuilder(origin).append(" (").append(type()).append(")\n");
        for (int i = 0; i < options.maps().size(); i++) {
            var m = options.maps().get(i);
            out.append("map ").append(i).append(": ").append(m.type()).append(" key ").append(m.keySize())
                    .append(" value ").append(m.valueSize()).append(" entries ").append(m.maxEntries()).append('\n');
        }
        return out.append(Disassembler.llvmObjdump().disassemble(program)).toString();
    }
}
