package org.ebpf4j.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

/**
 * The log's format at each level on small socket filters, line by line as the Linux 6.18 verifier writes it: the
 * two-path program's logs at levels 1 and 2 were loaded into the running 6.18 kernel and differ only in the
 * kernel's level-2 liveness preamble. VerifierLogKernelTest (cli) compares the two on clang-built fixtures,
 * VerifierLogCorpusTest on the corpus.
 */
class VerifierLogTest {
    /** Rejected on the second path: the fall-through exits, the jump's target reads an unset r0. */
    private static final Instructions TWO_PATHS = Assembler.assemble("""
            r2 = *(u32 *)(r1 + 0x0)
            if r2 == 0x0 goto +0x2
            r0 = 0x0
            exit
            exit
            """);
    private static final String LEN = "scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))";

    private static Verdict verify(Instructions program, LogOptions log) {
        return Verifier.verify(program, VerifierOptions.socketFilter(), log);
    }

    @Test
    void levelZeroKeepsNoLog() {
        Verdict rejected = verify(TWO_PATHS, LogOptions.NONE);
        assertEquals("R0 !read_ok", ((Verdict.Rejected) rejected).message());
        assertEquals("", rejected.log());
        assertEquals("", verify(Assembler.assemble("r0 = 0x0\nexit\n"), LogOptions.NONE).log());
    }

    @Test
    void levelOneShowsTheFailingPathOnly() {
        // The explored fall-through path is rewound away; the jump's padded state line was cut where the path was
        // pushed, so the target's state follows the jump on its line, as in the kernel's own level-1 logs.
        assertEquals("""
                0: R1=ctx() R10=fp0
                0: (61) r2 = *(u32 *)(r1 +0)          ; R1=ctx() R2=%s
                1: (15) if r2 == 0x0 goto pc+2 4: R1=ctx() R2=0 R10=fp0
                4: (95) exit
                R0 !read_ok
                processed 5 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
                """.formatted(LEN), verify(TWO_PATHS, LogOptions.level(1)).log());
    }

    @Test
    void levelTwoShowsEveryPath() {
        assertEquals("""
                0: R1=ctx() R10=fp0
                0: (61) r2 = *(u32 *)(r1 +0)          ; R1=ctx() R2=%s
                1: (15) if r2 == 0x0 goto pc+2        ; R2=scalar(smin=umin=umin32=1,smax=umax=0xffffffff,\
                var_off=(0x0; 0xffffffff))
                2: (b7) r0 = 0                        ; R0=0
                3: (95) exit

                from 1 to 4: R1=ctx() R2=0 R10=fp0
                4: R1=ctx() R2=0 R10=fp0
                4: (95) exit
                R0 !read_ok
                processed 5 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
                """.formatted(LEN), verify(TWO_PATHS, LogOptions.level(2)).log());
    }

    @Test
    void acceptanceAtLevelOneIsTheStatistics() {
        Verdict accepted = verify(Assembler.assemble("r2 = *(u32 *)(r1 + 0x0)\nif r2 == 0x0 goto +0x1\n"
                + "r2 = 0x1\nr0 = r2\nexit\n"), LogOptions.level(1));
        assertEquals("processed 7 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0"
                + " mark_read 0\n", accepted.log());
    }

    @Test
    void sourceLinesPrecedeTheirFirstInstruction() {
        List<ProgramSpec.SourceLine> lines = List.of(
                new ProgramSpec.SourceLine(0, "/src/prog.c", 3, 5, "  int n = skb->len;"),
                new ProgramSpec.SourceLine(1, "/src/prog.c", 3, 9, "  int n = skb->len;"),
                new ProgramSpec.SourceLine(2, "/src/prog.c", 4, 2, "\treturn 0;"));
        String log = verify(Assembler.assemble("r2 = *(u32 *)(r1 + 0x0)\nr2 += 0x1\nr0 = 0x0\nexit\n"),
                LogOptions.level(2).withLines(lines)).log();
        assertEquals("""
                0: R1=ctx() R10=fp0
                ; int n = skb->len; @ prog.c:3
                0: (61) r2 = *(u32 *)(r1 +0)          ; R1=ctx() R2=%s
                1: (07) r2 += 1                       ; R2=scalar(smin=umin=1,smax=umax=0x100000000,var_off=(0x0; 0x1ffffffff))
                ; return 0; @ prog.c:4
                2: (b7) r0 = 0                        ; R0=0
                3: (95) exit
                processed 4 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
                """.formatted(LEN), log);
    }

    @Test
    void stackSlotsAreShownWhereTheyAreWritten() {
        String log = verify(Assembler.assemble("r1 = 0x7\n*(u64 *)(r10 - 0x10) = r1\nr0 = *(u64 *)(r10 - 0x10)\n"
                + "exit\n"), LogOptions.level(2)).log();
        assertTrue(log.contains("1: (7b) *(u64 *)(r10 -16) = r1        ; R1=7 R10=fp0 fp-16=7\n"), log);
        assertTrue(log.contains("2: (79) r0 = *(u64 *)(r10 -16)        ; R0=7 R10=fp0 fp-16=7\n"), log);
    }

    @Test
    void aLongWalkKeepsTheEndOfItsLogWithinTheSize() {
        // 2 x 0x8000 iterations of a bounded loop: far more text than the 4 KiB kept.
        Instructions loop = Assembler.assemble("r1 = 0x0\nr1 += 0x1\nif r1 < 0x8000 goto -0x2\nr0 = 0x0\nexit\n");
        Verdict verdict = verify(loop, LogOptions.level(2).withSize(4096));
        assertTrue(verdict.isAccepted(), verdict.log());
        assertTrue(verdict.logTruncated());
        assertTrue(verdict.log().length() <= 4096);
        String end = "4: (95) exit\nprocessed " + verdict.processedInsns() + " insns (limit 1000000)";
        assertTrue(verdict.log().contains(end), verdict.log());
    }
}
