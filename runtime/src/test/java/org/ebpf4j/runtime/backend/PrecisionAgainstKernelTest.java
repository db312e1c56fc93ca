package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.junit.jupiter.api.Test;

/**
 * Pruning with liveness and precision marks against the running kernel's verifier: programs that verify within the
 * complexity limit only because numbers that decide nothing are imprecise, and programs where a number decides a
 * branch only after a checkpoint, so that its precision must reach that checkpoint (through registers, a spill, a
 * call) or a later path is wrongly pruned there. Same verdict and message as the kernel. Skipped where {@code bpf()}
 * is not permitted.
 */
class PrecisionAgainstKernelTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    /** r0 = a random bit; a prune point with both branches feasible. */
    private static final String RANDOM_BIT = "call 0x7\nr0 &= 1\n";
    /** Enough jumps and instructions for a checkpoint to be recorded, with r0-r5 dead after. */
    private static final String PADDING = (RANDOM_BIT + "if r0 == 0 goto +0\n").repeat(3);
    /** Ends a safe path; an unsafe one reads above the frame pointer. */
    private static final String TAIL = "r0 = 0\nexit\nr0 = *(u64 *)(r10 + 0x8)\nexit\n";

    @Test
    void imprecisePathsConverge() {
        // 2^24 distinct values of r6 without precision marks; none decides anything, so the paths join.
        StringBuilder source = new StringBuilder("r6 = 0\n");
        for (int bit = 0; bit < 24; bit++) {
            source.append(RANDOM_BIT).append("if r0 == 0 goto +1\nr6 += ").append(1 << bit).append('\n');
        }
        source.append("r0 = 0\nexit\n");
        Verdict ours = compare(source.toString(), "24 diamonds");
        assertEquals(true, ours.processedInsns() < Limits.COMPLEXITY_LIMIT_INSNS / 100, "processed "
                + ours.processedInsns());
    }

    @Test
    void aDecidingRegisterIsPreciseInTheCheckpointBeforeIt() {
        // The first path explored has r7 = 0 and is safe; the second has r7 = 8 and must not stop at the checkpoint.
        compare(RANDOM_BIT + "r7 = 8\nif r0 == 0 goto +1\nr7 = 0\n" + PADDING + "if r7 != 0 goto +2\n" + TAIL,
                "register");
    }

    @Test
    void aDecidingSpillIsPreciseInTheCheckpointBeforeIt() {
        compare(RANDOM_BIT + "r7 = 8\nif r0 == 0 goto +1\nr7 = 0\n*(u64 *)(r10 - 0x8) = r7\nr7 = 0\n" + PADDING
                + "r8 = *(u64 *)(r10 - 0x8)\nif r8 != 0 goto +2\n" + TAIL, "spill");
    }

    @Test
    void aNumberComputedFromTheDecidingOneIsTracedBack() {
        compare(RANDOM_BIT + "r7 = 8\nif r0 == 0 goto +1\nr7 = 0\n" + PADDING
                + "r8 = r7\nr8 <<= 2\nr8 += 1\nif r8 != 1 goto +2\n" + TAIL, "computed");
    }

    @Test
    void aPointerOffsetIsPreciseInTheCheckpointBeforeIt() {
        // r7 = 0 reads fp-8, r7 = 16 reads fp+8.
        compare(RANDOM_BIT + "r7 = 16\nif r0 == 0 goto +1\nr7 = 0\n*(u64 *)(r10 - 0x8) = r7\n" + PADDING
                + "r1 = r10\nr1 += -8\nr1 += r7\nr0 = *(u64 *)(r1 + 0x0)\nr0 = 0\nexit\n", "pointer offset");
    }

    @Test
    void aDecisionInACalleeIsPreciseInTheCallersCheckpoint() {
        compare(RANDOM_BIT + "r7 = 8\nif r0 == 0 goto +1\nr7 = 0\n" + PADDING
                + "r1 = r7\ncall callee\nr0 = 0\nexit\n"
                + "callee:\nif r1 != 0 goto +2\nr0 = 0\nexit\nr0 = *(u64 *)(r10 + 0x8)\nexit\n", "callee");
    }

    /** The kernel's verdict and message, and ebpf4j's verdict (never "unsupported" here). */
    private static Verdict compare(String source, String what) {
        assumeTrue(kernel != null, BothBackends.skipReason());
        Instructions code = Assembler.assemble(source);
        assertNotEquals(KernelVerdicts.Outcome.UNSUPPORTED,
                KernelVerdicts.compare(kernel, ProgramType.XDP, Optional.empty(), 0, code, what), what);
        return Verifier.verify(code, new VerifierOptions(ProgramType.XDP.value(), 0, 0, true));
    }
}
