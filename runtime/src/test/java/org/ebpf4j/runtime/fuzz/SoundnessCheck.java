package org.ebpf4j.runtime.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.isa.InvalidProgramException;
import org.ebpf4j.runtime.interpreter.CheckedInterpreter;
import org.ebpf4j.runtime.interpreter.CheckedInterpreter.UninitializedStack;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.verifier.Verdict;

/**
 * The soundness property: every program the verifier accepts runs on the {@link CheckedInterpreter} without a
 * fault, an uninitialised register read or more instructions than the verifier processed, on several random inputs;
 * the checked run also ends as the reference interpreter's does. Collects failures with everything needed to
 * reproduce them, and counts verdicts.
 */
final class SoundnessCheck {
    private final int inputs;
    final List<String> failures = new ArrayList<>();
    final Map<String, Integer> verdicts = new TreeMap<>();
    int accepted;
    int runs;
    int faultsBeforeCheck;

    SoundnessCheck(int inputs) {
        this.inputs = inputs;
    }

    long verifyNanos;
    long runNanos;

    /**
     * {@code compare}: also compare the checked run with the interpreter's, for deterministic programs that leak no
     * map value pointer (a hash map refilled for the second run puts its values elsewhere).
     */
    void check(FuzzCase c, long inputSeed, boolean compare) {
        Verdict verdict;
        long start = System.nanoTime();
        try {
            verdict = c.verify();
            verifyNanos += System.nanoTime() - start;
        } catch (RuntimeException e) {
            failures.add("verifier crashed: " + e + "\n" + c.describe());
            return;
        }
        if (!(verdict instanceof Verdict.Accepted ok)) {
            verdicts.merge(((Verdict.Rejected) verdict).cause().name().toLowerCase(), 1, Integer::sum);
            return;
        }
        verdicts.merge("accepted", 1, Integer::sum);
        accepted++;
        Random random = new Random(inputSeed);
        var helpers = FuzzExecution.helpers(c.type());
        start = System.nanoTime();
        try {
            runChecked(c, ok, random, helpers, inputSeed, compare);
        } finally {
            runNanos += System.nanoTime() - start;
        }
    }

    private void runChecked(FuzzCase c, Verdict.Accepted ok, Random random, HelperRegistry helpers, long inputSeed,
                            boolean compare) {
        for (int i = 0; i < inputs; i++) {
            var input = FuzzExecution.Input.random(random);
            FuzzExecution.Outcome checked;
            FuzzExecution.Outcome reference = null;
            try {
                Function<FuzzExecution.Maps, Executable> checking = maps -> CheckedInterpreter.load(c.program(), helpers,
                        maps.resolver(), ok.processedInsns(), c.options().privileged() ? UninitializedStack.ALLOWED
                                : UninitializedStack.FORBIDDEN, maps.values());
                if (i == 0 && compare) {
                    var outcomes = FuzzExecution.runEach(c, List.of(checking,
                            maps -> Interpreter.load(c.program(), helpers, Long.MAX_VALUE, maps.resolver())), input);
                    checked = outcomes.get(0);
                    reference = outcomes.get(1);
                } else {
                    checked = FuzzExecution.run(c, checking, input);
                }
            } catch (UnsupportedOperationException e) {
                verdicts.merge("accepted, not checkable: " + e.getMessage().replaceAll("insn \\d+: ", ""), 1,
                        Integer::sum);
                return;
            } catch (InvalidProgramException e) {
                // The kernel never walks dead code, so it accepts malformed instructions there (and replaces them,
                // sanitize_dead_code); the engines' structural check refuses them at load.
                verdicts.merge("accepted, refused by the engines' structural check", 1, Integer::sum);
                return;
            }
            runs++;
            if (checked.end().contains("unknown helper function")) {
                // The verifier allows the helper for the program type; the JVM runtime lacks it (a gap, not unsound).
                verdicts.merge("accepted, helper missing in the JVM runtime", 1, Integer::sum);
                return;
            }
            if (checked.faulted()) {
                failures.add(String.format("%s%ninput seed 0x%x, run %d, packet of %d bytes:%n%s", checked.end(),
                        inputSeed, i, input.packet().length, c.describe()));
                return;
            }
            if (reference != null && !reference.equals(checked)) {
                failures.add("the checked interpreter differs from the interpreter:\n" + checked + "\n" + reference
                        + "\n" + c.describe());
            }
        }
    }

    /** All failures, in full, to {@code target/fuzz-NAME-failures.txt} (the assertion shows the first few). */
    void writeFailures(String name) {
        try {
            Files.writeString(Path.of("target", "fuzz-" + name + "-failures.txt"), String.join("\n\n", failures));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String summary() {
        return verdicts + ", " + runs + " checked runs, " + failures.size() + " failures (verification "
                + verifyNanos / 1_000_000 + " ms, runs " + runNanos / 1_000_000 + " ms)";
    }
}
