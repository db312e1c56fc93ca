package org.ebpf4j.runtime.fuzz;

import org.ebpf4j.verifier.Verdict;

/**
 * The long fuzz run and a reproducer, outside the build: {@code java ... org.ebpf4j.runtime.fuzz.FuzzMain soundness
 * COUNT [SEED]} runs COUNT generated programs and COUNT mutants through the soundness check; {@code show SEED
 * [leak-free]} prints one generated program and ebpf4j's verdict on it. See docs/architecture.md for the
 * classpath.
 */
public final class FuzzMain {
    private FuzzMain() {}

    public static void main(String[] args) {
        switch (args.length == 0 ? "" : args[0]) {
            case "show" -> {
                FuzzCase c = ProgramGenerator.generate(Long.decode(args[1]), args.length > 2);
                Verdict v = c.verify();
                System.out.println(c.describe());
                System.out.println(v instanceof Verdict.Rejected r ? "rejected: " + r.message()
                        : "accepted, processed " + v.processedInsns() + " insns");
            }
            case "soundness" -> {
                int count = Integer.parseInt(args[1]);
                long seed = args.length > 2 ? Long.decode(args[2]) : System.nanoTime();
                var generated = new SoundnessCheck(3);
                var mutants = new SoundnessCheck(3);
                var seeds = SeedPrograms.all();
                for (int n = 0; n < count; n++) {
                    FuzzCase g = ProgramGenerator.generate(seed + n, n % 2 == 0);
                    generated.check(g, seed + n, n % 2 == 0 && g.deterministic());
                    long m = seed ^ (0x9e37_79b9L * (n + 1));
                    FuzzCase c = ProgramMutator.mutate(seeds.get(Math.floorMod(m, seeds.size())), m);
                    mutants.check(c, m, false);
                    if ((n + 1) % 10_000 == 0) {
                        System.out.printf("%d: generated %s%n   mutants %s%n", n + 1, generated.summary(),
                                mutants.summary());
                    }
                }
                System.out.printf("seed 0x%x%ngenerated %s%nmutants %s%n", seed, generated.summary(),
                        mutants.summary());
                generated.failures.forEach(System.out::println);
                mutants.failures.forEach(System.out::println);
                System.exit(generated.failures.isEmpty() && mutants.failures.isEmpty() ? 0 : 1);
            }
            default -> {
                System.err.println("usage: FuzzMain soundness COUNT [SEED] | show SEED [leak-free]");
                System.exit(2);
            }
        }
    }
}
