package org.ebpf4j.runtime.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.ebpf4j.api.Backend;
import org.ebpf4j.api.Collection;
import org.ebpf4j.api.LoadOptions;
import org.ebpf4j.api.VerifierException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.differential.BothBackends;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pruning with stack-slot liveness against the running kernel's verifier. Programs whose branches write different
 * stack slots that are never read again, which without liveness are walked once per combination of branches: the
 * kernel's verdict, and a processed count within a small factor of the kernel's, measured here. And programs where
 * a slot written on one path only decides a branch later (read directly, through a copy of the frame pointer, by a
 * callee after checkpoints of its own, by a callee or its callee below the pointer passed, after a partial
 * overwrite): a dead-slot mistake would prune the unsafe path against the safe one explored first, a false accept.
 * Skipped where {@code bpf()} is not permitted.
 */
class StackLivenessAgainstKernelTest {
    private static final Backend kernel = BothBackends.kernel().orElse(null);
    private static final ProgramType TYPE = ProgramType.SCHED_CLS;
    /** How far above the kernel's processed count ebpf4j's may be: its checkpoints are placed differently. */
    private static final int FACTOR = 2;
    private static final int SLACK = 64;
    /** r0 = a random number; a prune point with both branches feasible. */
    private static final String RANDOM_BRANCH = "call 0x7\nif r0 == 0 goto +1\n";
    /** Enough jumps and instructions for a checkpoint to be recorded, with r0-r5 dead after. */
    private static final String PADDING = ("call 0x7\nr0 &= 1\nif r0 == 0 goto +0\n").repeat(3);
    /** Safe when r1 is zero; otherwise reads r9, never written (not a stack access, which would keep slots live). */
    private static final String DECIDE_ON_R1 = "if r1 != 0x0 goto +2\nr0 = 0\nexit\nr0 = *(u64 *)(r9 + 0x0)\nexit\n";

    /** {@code blocks} branches each of which may store r6 (the context) into a slot of its own. */
    private static String branchyStores(int blocks, String tail) {
        StringBuilder s = new StringBuilder("r6 = r1\n");
        for (int k = 1; k <= blocks; k++) {
            s.append("call 0x7\nif r0 == ").append(k).append(" goto +1\n*(u64 *)(r10 - ").append(8 * k)
                    .append(") = r6\n");
        }
        return s.append(tail).append("r0 = 0\nexit\n").toString();
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 40})
    void deadStoresDoNotMultiplyPaths(int blocks) {
        withinFactorOfKernel(branchyStores(blocks, ""), blocks + " blocks");
    }

    /**
     * The shape of the scale tests (test_verifier 0501/0502): each branch skips "r1 = r10" and a store through r1,
     * then straight-line code. The kernel prunes each branch at its target, a prune point where only r6 is live
     * (get_prandom_u32 reads no argument, so r1 is dead there); walking the tail once per branch instead would be
     * blocks times the tail.
     */
    @Test
    void branchesSkippingAStoreThroughACopyOfR10PruneAtTheirTargets() {
        StringBuilder s = new StringBuilder("r6 = r1\n");
        for (int k = 1; k <= 16; k++) {
            s.append("call 0x7\nif r0 == ").append(k).append(" goto +2\nr1 = r10\n*(u64 *)(r1 - ")
                    .append(8 * k).append(") = r6\n");
        }
        withinFactorOfKernel(s + "r0 = 42\n".repeat(400) + "exit\n", "16 blocks, 400 straight instructions");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // One slot read later on one path only.
        "call 0x7\nif r0 == 0 goto +1\nr0 = *(u64 *)(r10 - 0x8)\n",
        // A slot read through a copy of the frame pointer, with the offset split between the copy and the load.
        "r2 = r10\nr2 += -16\nr0 = *(u64 *)(r2 + 0x8)\n",
        // A stack key for a helper that reads 8 bytes from fp-8 (bpf_csum_diff): the slots below stay dead.
        "r1 = r10\nr1 += -8\nr2 = 8\nr3 = 0\nr4 = 0\nr5 = 0\ncall 0x1c\n",
        // A callee that reads fp-8 through the pointer it is passed: the other slots stay dead.
        "r1 = r10\nr1 += -8\ncall callee\nr0 = 0\nexit\ncallee:\nr0 = *(u64 *)(r1 + 0x0)\n"})
    void slotsReadAfterTheBranchesStayLive(String tail) {
        withinFactorOfKernel(branchyStores(16, tail), tail);
    }

    @Test
    void aSlotFilledAfterTheCheckpointIsCompared() {
        writtenOnOnePathThen("r1 = *(u64 *)(r10 - 0x8)\n" + DECIDE_ON_R1);
    }

    @Test
    void aSlotReadThroughACopyOfTheFramePointerIsCompared() {
        writtenOnOnePathThen("r2 = r10\nr2 += -16\nr1 = *(u64 *)(r2 + 0x8)\n" + DECIDE_ON_R1);
    }

    @Test
    void aCallersSlotReadByTheCalleeIsComparedAtTheCalleesCheckpoints() {
        writtenOnOnePathThen("r1 = r10\nr1 += -8\ncall callee\nr0 = 0\nexit\ncallee:\nr6 = r1\n" + PADDING
                + "r1 = *(u64 *)(r6 + 0x0)\n" + DECIDE_ON_R1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"r1 = *(u64 *)(r1 - 0x8)\n", "r1 += -8\nr1 = *(u64 *)(r1 + 0x0)\n"})
    void aCallersSlotBelowThePointerItPassesIsComparedAtTheCall(String calleeRead) {
        // The callee reads fp-16 through the fp-8 it is passed.
        expectUnsafe("r7 = 0\n" + RANDOM_BRANCH + "*(u64 *)(r10 - 0x10) = r7\n" + PADDING
                + "r1 = r10\nr1 += -8\ncall callee\nr0 = 0\nexit\ncallee:\n" + calleeRead + DECIDE_ON_R1);
    }

    @Test
    void aCallersSlotReadByTheCalleesCalleeIsComparedAtTheCall() {
        expectUnsafe("r7 = 0\n" + RANDOM_BRANCH + "*(u64 *)(r10 - 0x10) = r7\n" + PADDING
                + "r1 = r10\nr1 += -8\ncall callee\nr0 = 0\nexit\ncallee:\ncall inner\nr0 = 0\nexit\n"
                + "inner:\nr1 = *(u64 *)(r1 - 0x8)\n" + DECIDE_ON_R1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"*(u32 *)(r10 - 0x8) = r7\n", "*(u8 *)(r10 - 0x8) = r7\n", "*(u16 *)(r10 - 0x6) = r7\n"})
    void aPartialStoreDoesNotKillTheSlot(String partial) {
        // The safe path zeroed fp-4..fp-1; after a store to other bytes of the slot, they must still be compared.
        expectUnsafe("r7 = 0\n" + RANDOM_BRANCH + "*(u32 *)(r10 - 0x4) = r7\n" + PADDING + partial
                + "r1 = *(u32 *)(r10 - 0x4)\n" + DECIDE_ON_R1);
    }

    /** The path explored first stores zero in fp-8, the other nothing; {@code tail} reads fp-8 after both. */
    private static void writtenOnOnePathThen(String tail) {
        expectUnsafe("r7 = 0\n" + RANDOM_BRANCH + "*(u64 *)(r10 - 0x8) = r7\n" + PADDING + tail);
    }

    /** The kernel and ebpf4j reject: the second path, which must not be pruned, reaches the unsafe read. */
    private static void expectUnsafe(String source) {
        assertEquals("R9 !read_ok", sameVerdict(source, source).verdict(), source);
    }

    private static void withinFactorOfKernel(String source, String what) {
        KernelRun run = sameVerdict(source, what);
        assertEquals("accept", run.verdict(), what);
        int kernelCount = run.processed();
        Verdict ours = verify(source);
        assertTrue(ours.processedInsns() <= FACTOR * kernelCount + SLACK,
                what + ": ebpf4j processed " + ours.processedInsns() + ", the kernel " + kernelCount);
    }

    /** The kernel's verdict: "accept" or the last line of its log, and how many instructions it processed. */
    private record KernelRun(String verdict, int processed) {}

    /** The kernel's verdict equals ebpf4j's. */
    private static KernelRun sameVerdict(String source, String what) {
        assumeTrue(kernel != null, BothBackends.skipReason());
        Instructions code = Assembler.assemble(source);
        String expected;
        String log;
        try (Collection loaded = kernel.load(KernelVerdicts.oneProgram("ctx", TYPE, Optional.empty(), 0, code),
                LoadOptions.defaults().withLogLevel(1))) {
            expected = "accept";
            log = loaded.program("ctx").verifierLog().orElse("");
        } catch (VerifierException e) {
            expected = KernelVerdicts.lastLine(e.log());
            log = e.log();
        }
        Verdict ours = verify(source);
        assertEquals(expected, ours instanceof Verdict.Rejected r ? r.message() : "accept", what);
        return new KernelRun(expected, processed(log));
    }

    private static Verdict verify(String source) {
        return Verifier.verify(Assembler.assemble(source), new VerifierOptions(TYPE.value(), 0, 0, true));
    }

    private static int processed(String log) {
        for (String line : log.split("\n")) {
            if (line.startsWith("processed ")) {
                return Integer.parseInt(line.split(" ")[1]);
            }
        }
        throw new AssertionError("no processed count in the kernel's log:\n" + log);
    }
}
