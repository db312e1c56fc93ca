package org.ebpf4j.isa.text.ubpf;

import org.ebpf4j.isa.text.AssemblyException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UbpfAssemblerTest {

    private static String hex(String source) {
        return HexFormat.of().formatHex(UbpfAssembler.assembleToBytes(source));
    }

    /** One statement and its encoding, written as the little-endian bytes of the instruction. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            mov32 %r0, 1                      | b400000001000000
            mov %r1, -1                       | b7010000ffffffff
            mov %r1, 0xffffffff               | b7010000ffffffff
            mov %r0, %r2                      | bf20000000000000
            add32 %r0, %r1                    | 0c10000000000000
            arsh %r0, 3                       | c700000003000000
            sdiv %r0, %r1                     | 3f10010000000000
            smod32 %r0, 3                     | 9400010003000000
            neg %r0                           | 8700000000000000
            neg32 %r0                         | 8400000000000000
            movsx832 %r0, %r1                 | bc10080000000000
            movsx3264 %r0, %r1                | bf10200000000000
            be16 %r0                          | dc00000010000000
            le64 %r0                          | d400000040000000
            bswap32 %r0                       | d700000020000000
            swap64 %r0                        | d700000040000000
            ldxdw %r0, [%r1+8]                | 7910080000000000
            ldxb %r0, [%r1]                   | 7110000000000000
            ldxsh %r0, [%r10-2]               | 89a0feff00000000
            stxw [%r10-4], %r1                | 631afcff00000000
            stdw [%r10-8], 0x10               | 7a0af8ff10000000
            sth [%r1 + 2], -1                 | 6a010200ffffffff
            lock add [%r10-8], %r1            | db1af8ff00000000
            lock fetch add32 [%r10-4], %r1    | c31afcff01000000
            lock fetch xor [%r10-8], %r3      | db3af8ffa1000000
            lock xchg32 [%r10-8], %r1         | c31af8ffe1000000
            lock cmpxchg [%r10-8], %r1        | db1af8fff1000000
            ja +2                             | 0500020000000000
            ja -1                             | 0500ffff00000000
            ja32 +3                           | 0600000003000000
            jeq %r1, 5, +1                    | 1501010005000000
            jne32 %r1, %r2, -2                | 5e21feff00000000
            jset %r1, 0x80000000, +1          | 4501010000000080
            call 5                            | 8500000005000000
            call %r2                          | 8d02000000000000
            callx %r3                         | 8d03000000000000
            exit                              | 9500000000000000
            lddw %r0, 0x1122334455667788      | 18000000887766550000000044332211
            lddw %r1, -1                      | 18010000ffffffff00000000ffffffff
            ldabsh 12                         | 280000000c000000
            ldindw %r1, 4                     | 4010000004000000
            """)
    void encodesLikeLinux(String source, String expected) {
        assertEquals(expected, hex(source));
    }

    @Test
    void resolvesLabelsForwardAndBackward() {
        Instructions assembled = UbpfAssembler.assemble("""
                # count down from 3
                    mov %r0, 3
                loop:
                    jeq %r0, 0, done   # forward
                    sub %r0, 1
                    ja loop            # backward
                done: exit
                """);
        Instructions built = new ProgramBuilder()
                .mov64(Register.R0, 3)
                .label("loop").jump(org.ebpf4j.isa.JumpOp.JEQ, Register.R0, 0, "done")
                .alu64(org.ebpf4j.isa.AluOp.SUB, Register.R0, 1)
                .ja("loop")
                .label("done").exit()
                .build();
        assertEquals(built, assembled);
    }

    @Test
    void countsLddwAsTwoSlots() {
        assertEquals("0500020000000000" + "18000000010000000000000000000000" + "9500000000000000",
                hex("ja end\nlddw %r0, 1\nend: exit"));
    }

    @Test
    void localCallCarriesTheDisplacementInImm() {
        assertEquals("85100000010000009500000000000000b700000001000000" + "9500000000000000",
                hex("call local f\nexit\nf:\nmov %r0, 1\nexit"));
    }

    @Test
    void undefinedExitMeansTheFirstExitOfTheProgram() {
        assertEquals("9500000000000000" + "b700000000000000" + "0500fdff00000000" + "9500000000000000",
                hex("exit\nmov %r0, 0\nja exit\nexit"));
    }

    @Test
    void anExplicitExitLabelWins() {
        assertEquals("0500010000000000" + "9500000000000000" + "9500000000000000",
                hex("ja exit\nexit\nexit: exit"));
    }

    @Test
    void knowsEveryMnemonicFamily() {
        var mnemonics = UbpfAssembler.mnemonics();
        for (String m : new String[] {"add", "add32", "sdiv32", "movsx1664", "le16", "be64", "bswap16", "swap32",
                "jsle32", "ja32", "call", "callx", "exit", "lddw", "ldxsw", "stxdw", "lock fetch or32",
                "lock cmpxchg32"}) {
            assertTrue(mnemonics.contains(m), m);
        }
    }

    private static AssemblyException failure(String source) {
        return assertThrows(AssemblyException.class, () -> UbpfAssembler.assemble(source));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            frob %r0, 1                 | line 2: unknown mnemonic 'frob': 'frob %r0, 1'
            mov %r11, 1                 | line 2: no register %r11 (registers are %r0 to %r10): 'mov %r11, 1'
            mov %r0                     | line 2: expected 2 operands (dst, src register or immediate), found 1: 'mov %r0'
            mov %r0, 0x100000000        | line 2: immediate 0x100000000 does not fit in 32 bits: 'mov %r0, 0x100000000'
            mov %r0, -0x80000001        | line 2: immediate -0x80000001 does not fit in 32 bits: 'mov %r0, -0x80000001'
            mov %r0, twelve             | line 2: expected a number as immediate, found 'twelve': 'mov %r0, twelve'
            ldxw %r0, %r1               | line 2: expected a memory operand like [%r1+8], found '%r1': 'ldxw %r0, %r1'
            ldxw %r0, [%r1+40000]       | line 2: offset [%r1+40000] does not fit in 16 signed bits: 'ldxw %r0, [%r1+40000]'
            stxw [%r10-4], 5            | line 2: expected a register like %r1, found '5': 'stxw [%r10-4], 5'
            jeq %r0, 1, nowhere         | line 2: undefined label 'nowhere': 'jeq %r0, 1, nowhere'
            ja +                        | line 2: expected a label or a jump offset like +2, found '+': 'ja +'
            lock fetch xchg [%r10-8], %r1 | line 2: unknown mnemonic 'lock fetch xchg': 'lock fetch xchg [%r10-8], %r1'
            movsx3232 %r0, %r1          | line 2: unknown mnemonic 'movsx3232': 'movsx3232 %r0, %r1'
            lddw %r0, 0x10000000000000000 | line 2: immediate 0x10000000000000000 does not fit in 64 bits: 'lddw %r0, 0x10000000000000000'
            exit %r0                    | line 2: expected 0 operands (none), found 1: 'exit %r0'
            mov %r0, , 1                | line 2: empty operand: 'mov %r0, , 1'
            """)
    void reportsTheLineAndTheProblem(String statement, String message) {
        AssemblyException e = failure("mov %r0, 0\n" + statement + "   # comment is not quoted\nexit");
        assertEquals(message, e.getMessage());
        assertEquals(2, e.line());
        assertEquals(statement, e.text());
    }

    @Test
    void rejectsALabelDefinedTwice() {
        AssemblyException e = failure("a:\nexit\na: exit");
        assertEquals("line 3: label 'a' is already defined: 'a: exit'", e.getMessage());
    }

    @Test
    void rejectsAJumpTooFarForItsOffsetField() {
        String far = "ja end\n" + "mov %r0, 0\n".repeat(40_000) + "end: exit";
        assertTrue(failure(far).getMessage().startsWith("line 1: jump displacement 40000 does not fit"));
        // ja32 carries the displacement in imm and reaches.
        assertEquals(40_002, UbpfAssembler.assemble(far.replaceFirst("ja end", "ja32 end")).size());
    }

    @Test
    void jumpToExitNeedsAnExit() {
        assertEquals("line 1: jump to 'exit' in a program without an exit instruction: 'ja exit'",
                failure("ja exit").getMessage());
    }

    @Test
    void isABpfException() {
        assertTrue(BpfException.class.isAssignableFrom(AssemblyException.class));
    }
}
