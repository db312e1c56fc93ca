package org.ebpf4j.runtime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Soundness fuzzing of the verifier (issue 5): generated programs and mutants of real ones; every one the verifier
 * accepts must run on the checked interpreter without a fault on three random inputs. Failures print the seed and
 * the disassembled program. The counts are CI-sized; {@code -Debpf4j.fuzz.scale=N} multiplies them (the long run,
 * see docs/architecture.md).
 */
class VerifierSoundnessFuzzTest {
    private static final int SCALE = FuzzScale.SCALE;
    private static final int GENERATED = Integer.getInteger("ebpf4j.fuzz.generated", 8_000) * SCALE;
    private static final int MUTANTS = Integer.getInteger("ebpf4j.fuzz.mutants", 10_000) * SCALE;
    private static final long SEED = Long.getLong("ebpf4j.fuzz.seed", 0x5eed_f022L);

    @Test
    void generatedProgramsThatVerifyRunWithoutFault() {
        var check = new SoundnessCheck(3);
        for (int n = 0; n < GENERATED; n++) {
            long seed = SEED + n;
            FuzzCase c = ProgramGenerator.generate(seed, n % 2 == 0);
            check.check(c, seed, n % 2 == 0 && c.deterministic());
        }
        System.out.println("generated programs: " + check.summary());
        check.writeFailures("generated");
        assertEquals(List.of(), check.failures.stream().limit(5).toList(), check.summary());
        // The generator is useful only if much of what it makes is accepted, and not everything.
        assertTrue(check.accepted > GENERATED / 3 && check.accepted < GENERATED, check.summary());
    }

    @Test
    void mutantsOfRealProgramsThatVerifyRunWithoutFault() {
        List<FuzzCase> seeds = SeedPrograms.all();
        assertTrue(seeds.size() >= 100, "only " + seeds.size() + " seed programs");
        var check = new SoundnessCheck(3);
        for (int n = 0; n < MUTANTS; n++) {
            long seed = SEED ^ (0x9e37_79b9L * (n + 1));
            FuzzCase original = seeds.get(Math.floorMod(seed, seeds.size()));
            FuzzCase c = ProgramMutator.mutate(original, seed);
            check.check(c, seed, false);
        }
        System.out.println("mutants of " + seeds.size() + " real programs: " + check.summary());
        check.writeFailures("mutants");
        assertEquals(List.of(), check.failures.stream().limit(5).toList(), check.summary());
        assertTrue(check.accepted > MUTANTS / 10, check.summary());
    }

    /**
     * Unprivileged loading: mutants of the socket filters, verified without CAP_BPF; their checked runs also fail on
     * any read of a stack byte never written (the kernel forbids it without allow_uninit_stack).
     */
    @Test
    void unprivilegedMutantsThatVerifyRunWithoutFaultOrUnwrittenStackReads() {
        List<FuzzCase> seeds = SeedPrograms.all().stream()
                .filter(c -> c.type() == org.ebpf4j.spec.ProgramType.SOCKET_FILTER)
                .map(c -> new FuzzCase(c.origin() + " unprivileged", c.program(),
                        c.options().withPrivileged(false)))
                .toList();
        var check = new SoundnessCheck(3);
        for (int n = 0; n < MUTANTS / 4; n++) {
            long seed = SEED ^ (0x7f4a_7c15L * (n + 1));
            FuzzCase c = ProgramMutator.mutate(seeds.get(Math.floorMod(seed, seeds.size())), seed);
            check.check(c, seed, false);
        }
        System.out.println("unprivileged mutants of " + seeds.size() + " socket filters: " + check.summary());
        check.writeFailures("unprivileged");
        assertEquals(List.of(), check.failures.stream().limit(5).toList(), check.summary());
        assertTrue(check.accepted > MUTANTS / 100, check.summary());
    }
}
