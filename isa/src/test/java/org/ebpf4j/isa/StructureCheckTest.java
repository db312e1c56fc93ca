package org.ebpf4j.isa;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class StructureCheckTest {
    private static final String EXIT = "9500000000000000";

    private static InvalidProgramException rejected(String hex) {
        return assertThrows(InvalidProgramException.class,
                () -> StructureCheck.check(Instructions.decode(HexFormat.of().parseHex(hex))));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("odd length", "95000000000000", -1, "program length 7 bytes is not a multiple of 8"),
                Arguments.of("empty", "", -1, "empty program"),
                Arguments.of("unknown opcode", "ff00000000000000" + EXIT, 0, "insn 0: unknown opcode 0xff"),
                Arguments.of("unknown alu code", "e700000000000000" + EXIT, 0, "insn 0: unknown opcode 0xe7"),
                Arguments.of("bad register", "b70b000000000000" + EXIT, 0, "insn 0: invalid destination register r11"),
                Arguments.of("bad source register", "bfc0000000000000" + EXIT, 0, "insn 0: invalid source register r12"),
                Arguments.of("write to r10", "b70a000000000000" + EXIT, 0, "insn 0: frame pointer r10 is read only"),
                Arguments.of("lddw missing half", EXIT + "1800000000000000", 1, "insn 1: lddw is missing its second half"),
                Arguments.of("lddw bad second half", "1800000000000000" + "b700000000000000" + EXIT, 1,
                        "insn 1: second half of lddw must have opcode, registers and offset 0"),
                Arguments.of("jump out of range", "0500050000000000" + EXIT, 0,
                        "insn 0: jump out of range to insn 6 (program has 2)"),
                Arguments.of("jump backwards out of range", "0500feff00000000" + EXIT, 0,
                        "insn 0: jump out of range to insn -1 (program has 2)"),
                Arguments.of("jump into lddw", "0500010000000000" + "1800000000000000" + "0000000000000000" + EXIT, 0,
                        "insn 0: jump into the middle of lddw at insn 2"),
                Arguments.of("call out of range", "8510000009000000" + EXIT, 0,
                        "insn 0: call out of range to insn 10 (program has 2)"),
                Arguments.of("no exit at the end", EXIT + "b700000000000000", 1,
                        "insn 1: last instruction is neither exit nor an unconditional jump"),
                Arguments.of("no exit at all", "0500ffff00000000", -1,
                        "program has no exit instruction"),
                Arguments.of("alu reserved src", "0710000001000000" + EXIT, 0,
                        "insn 0: arithmetic with an immediate uses reserved src_reg field"),
                Arguments.of("alu reserved imm", "0f10000001000000" + EXIT, 0,
                        "insn 0: arithmetic with a register uses reserved imm field"),
                Arguments.of("bad byte swap width", "d400000008000000" + EXIT, 0,
                        "insn 0: byte swap needs imm 16, 32 or 64 and no other fields"),
                Arguments.of("exit reserved", "9500000001000000", 0, "insn 0: exit uses reserved fields"),
                Arguments.of("bad atomic op", "db1a000002000000" + EXIT, 0,
                        "insn 0: atomic instruction with unknown operation 0x2"),
                Arguments.of("atomic on bytes", "d31a000000000000" + EXIT, 0, "insn 0: unknown opcode 0xd3"),
                Arguments.of("ldsx of dw", "9910000000000000" + EXIT, 0, "insn 0: unknown opcode 0x99"),
                Arguments.of("movsx32 in 32-bit alu", "bc10200000000000" + EXIT, 0,
                        "insn 0: movsx needs a register source and offset 8, 16"),
                Arguments.of("jmp32 call", "8600000001000000" + EXIT, 0, "insn 0: unknown opcode 0x86"),
                Arguments.of("lddw unknown pseudo", "1870000000000000" + "0000000000000000" + EXIT, 0,
                        "insn 0: lddw with unknown src_reg 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedProgramsNameTheInstructionAndTheRule(String name, String hex, int index, String message) {
        InvalidProgramException e = rejected(hex);
        assertEquals(index, e.index());
        assertEquals(message, e.getMessage());
    }

    @Test
    void wellFormedProgramsPass() {
        Instructions p = new ProgramBuilder()
                .lddw(R1, 0x1122334455667788L)
                .jump(JumpOp.JEQ, R1, 0, "out")
                .movsx64(R2, R1, 32)
                .signed64(AluOp.DIV, R2, R1)
                .atomic(Size.DW, AtomicOp.CMPXCHG, true, R10, -8, R1)
                .gotol("out")
                .label("out")
                .mov64(R0, 0)
                .exit()
                .build();
        assertDoesNotThrow(() -> StructureCheck.check(p));
    }

    @Test
    void bigEndianObjectsSwapRegisterNibblesAndFields() {
        Instructions p = new ProgramBuilder().ldx(Size.W, R1, R2, 0x102).lddw(R3, 0x0102030405060708L).exit().build();
        byte[] be = p.encode(ByteOrder.BIG_ENDIAN);
        // Each slot of an lddw is a whole big-endian instruction: the low half of the constant comes first.
        assertEquals("6112010200000000" + "1830000005060708" + "0000000001020304" + "9500000000000000",
                HexFormat.of().formatHex(be));
        assertEquals(p, Instructions.decode(be, ByteOrder.BIG_ENDIAN));
        assertEquals(p, Instructions.decode(p.encode(ByteOrder.LITTLE_ENDIAN)));
    }
}
