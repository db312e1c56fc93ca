package org.ebpf4j.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.junit.jupiter.api.Test;

/**
 * Issue 7's differential fuzzing on verified programs: random programs that ebpf4j's verifier accepts, with random
 * packets and map contents, end the same way on the interpreter and on the JIT (r0, packet out, the main stack frame,
 * every map's contents), with and without constant blinding. Generated programs keep map value pointers out of what
 * is compared ({@link ProgramGenerator}'s leak-free mode); mutants of real programs are compared when they call no
 * helper whose result varies between runs, and when the interpreter agrees with itself on a second run (a program
 * that exposes where a refilled hash map put its values need not). {@code jit.DifferentialFuzzTest} keeps the unverified programs (wild
 * accesses, faults, callx, recursion).
 */
class VerifiedDifferentialFuzzTest {
    private static final int PROGRAMS = 1_500 * FuzzScale.SCALE;
    private static final long SEED = Long.getLong("ebpf4j.fuzz.seed", 0xd1ff_f022L);
    private static int layoutDependent;
    @Test
    void generatedVerifiedProgramsAgreeOnBothEngines() {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (long seed = SEED; compared < PROGRAMS; seed++) {
            FuzzCase c = ProgramGenerator.generate(seed, true);
            if (!c.verify().isAccepted()) {
                continue;
            }
            compare(c, new Random(seed), compared % 4 == 0, differences);
            compared++;
        }
        System.out.println("verified generated programs on both engines: " + compared + ", " + differences.size()
                + " differences");
        assertEquals(List.of(), differences.stream().limit(3).toList());
    }

    @Test
    void verifiedMutantsOfRealProgramsAgreeOnBothEngines() {
        List<FuzzCase> seeds = SeedPrograms.all().stream().filter(FuzzCase::deterministic).toList();
        List<String> differences = new ArrayList<>();
        int compared = 0;
        int tried = 0;
        for (long n = 0; compared < PROGRAMS / 2 && tried < PROGRAMS * 10; n++, tried++) {
            long seed = SEED ^ (0x9e37_79b9L * (n + 1));
            FuzzCase c = ProgramMutator.mutate(seeds.get(Math.floorMod(seed, seeds.size())), seed);
            if (!c.verify().isAccepted()) {
                continue;
            }
            if (compare(c, new Random(seed), n % 4 == 0, differences)) {
                compared++;
            }
        }
        System.out.println("verified mutants on both engines: " + compared + " of " + tried + " tried ("
                + layoutDependent + " depend on map layout), " + differences.size() + " differences");
        assertEquals(List.of(), differences.stream().limit(3).toList());
        assertTrue(compared >= PROGRAMS / 2, "only " + compared + " mutants compared");
    }

    /** Compares one case on one random input; false when the engines cannot load it (the structural check). */
    private static boolean compare(FuzzCase c, Random random, boolean blind, List<String> differences) {
        var helpers = FuzzExecution.helpers(c.type());
        var input = FuzzExecution.Input.random(random);
        List<FuzzExecution.Outcome> outcomes;
        try {
            outcomes = FuzzExecution.runEach(c, List.of(
                    maps -> Interpreter.load(c.program(), helpers, Long.MAX_VALUE, maps.resolver()),
                    maps -> Engine.JIT.prepare(c.program(), helpers, Long.MAX_VALUE, maps.resolver(), blind),
                    maps -> Interpreter.load(c.program(), helpers, Long.MAX_VALUE, maps.resolver())), input);
        } catch (org.ebpf4j.isa.InvalidProgramException e) {
            return false;
        }
        var interpreted = outcomes.get(0);
        var compiled = outcomes.get(1);
        if (!interpreted.equals(outcomes.get(2))) {
            // The interpreter disagrees with itself: the program exposes where a refilled hash map put its values
            // (a pointer returned or turned into a number), which no two runs need to agree on.
            layoutDependent++;
            return false;
        }
        if (!interpreted.equals(compiled)) {
            differences.add(String.format("%s%s, packet of %d bytes:%ninterpreter: %s%nJIT: %s%n%s",
                    c.origin(), blind ? " (blinded JIT)" : "", input.packet().length, interpreted, compiled,
                    c.describe()));
        }
        return true;
    }
}
