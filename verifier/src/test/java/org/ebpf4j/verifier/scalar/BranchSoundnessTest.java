package org.ebpf4j.verifier.scalar;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.ebpf4j.isa.Condition;
import org.ebpf4j.isa.JumpOp;
import org.junit.jupiter.api.Test;

/**
 * Soundness of branch prediction and refinement against {@link Condition}: a pair of members that takes a jump
 * (or falls through) is never declared impossible, and stays within the operands refined for that path.
 */
class BranchSoundnessTest {
    private static final int STATES_PER_FORM = 1500;

    @Test
    void predictionAndRefinementHoldEveryMemberPair() {
        Samples samples = new Samples(0xb4a2c4L);
        long checks = 0;
        long decided = 0;
        for (JumpOp op : JumpOp.values()) {
            if (!op.isConditional()) {
                continue;
            }
            for (boolean jmp32 : new boolean[] {false, true}) {
                for (boolean immediate : new boolean[] {false, true}) {
                    for (int i = 0; i < STATES_PER_FORM; i++) {
                        Samples.Sample left = samples.sample();
                        Samples.Sample right = immediate
                                ? constant(samples.immediate()) : samples.sample();
                        BranchOutcome outcome = BranchPrediction.predict(op, jmp32, left.state(), right.state());
                        if (outcome != BranchOutcome.UNKNOWN) {
                            decided++;
                        }
                        Operands taken = BranchRefinement.refine(op, jmp32, true, left.state(), right.state());
                        Operands fallThrough =
                                BranchRefinement.refine(op, jmp32, false, left.state(), right.state());
                        for (long a : left.members()) {
                            for (long b : right.members()) {
                                boolean jumps = jmp32 ? Condition.test32(op.code, a, b) : Condition.test64(op.code, a, b);
                                Operands path = jumps ? taken : fallThrough;
                                checks++;
                                if (outcome == (jumps ? BranchOutcome.NEVER : BranchOutcome.ALWAYS)) {
                                    fail(String.format("%s%s: %#x, %#x %s, but predicted %s for %s and %s",
                                            op, jmp32 ? "32" : "", a, b, jumps ? "jumps" : "falls through",
                                            outcome, left.state(), right.state()));
                                }
                                if (!path.left().contains(a) || !path.right().contains(b)) {
                                    fail(String.format("%s%s %s: %#x, %#x not within %s from %s and %s",
                                            op, jmp32 ? "32" : "", jumps ? "taken" : "not taken", a, b, path,
                                            left.state(), right.state()));
                                }
                            }
                        }
                    }
                }
            }
        }
        System.out.println("branch soundness checks: " + checks + ", decided predictions: " + decided);
        assertTrue(checks > 100_000, "too few checks: " + checks);
        assertTrue(decided > 1000, "prediction never decides: " + decided);
    }

    /** The kernel's fake register for a K operand: the sign-extended immediate. */
    private static Samples.Sample constant(int imm) {
        return new Samples.Sample(Scalar.constant(imm), new long[] {imm});
    }
}
