package org.ebpf4j.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InstructionTest {
    private static Instruction insn(int opcode, int src, int offset, long imm) {
        return new Instruction(opcode, 0, src, offset, imm);
    }

    @Test
    void conditionalJumpsAndGotosAreBranchesToTheirOffset() {
        Instruction jne = insn(Opcode.JMP | Opcode.JNE | Opcode.K, 0, -3, 7);
        assertTrue(jne.isBranch());
        assertEquals(8, jne.branchTarget(10));
        Instruction ja32 = insn(Opcode.JMP32 | Opcode.JLT | Opcode.X, 1, 4, 0);
        assertTrue(ja32.isBranch());
        assertEquals(15, ja32.branchTarget(10));
    }

    @Test
    void gotolBranchesByItsImmediate() {
        Instruction gotol = insn(Opcode.JMP32 | Opcode.JA, 0, 0, 100_000);
        assertTrue(gotol.isBranch());
        assertEquals(100_011, gotol.branchTarget(10));
    }

    @Test
    void aLocalCallHasATargetButIsNoBranch() {
        Instruction call = insn(Opcode.JMP | Opcode.CALL, Opcode.CALL_LOCAL, 0, 5);
        assertTrue(call.hasBranchTarget());
        assertFalse(call.isBranch());
        assertEquals(16, call.branchTarget(10));
    }

    @Test
    void onlyExitsAndGotosNeverFallThrough() {
        Instruction ja = insn(Opcode.JMP | Opcode.JA, 0, 2, 0);
        Instruction gotol = insn(Opcode.JMP32 | Opcode.JA, 0, 0, 2);
        assertTrue(ja.isGoto() && gotol.isGoto());
        assertFalse(ja.fallsThrough() || gotol.fallsThrough());
        assertFalse(insn(Opcode.JMP | Opcode.EXIT, 0, 0, 0).fallsThrough());
        assertFalse(insn(Opcode.JMP | Opcode.JEQ | Opcode.K, 0, 2, 0).isGoto());
        assertTrue(insn(Opcode.JMP | Opcode.JEQ | Opcode.K, 0, 2, 0).fallsThrough());
        assertTrue(insn(Opcode.JMP | Opcode.CALL, Opcode.CALL_HELPER, 0, 1).fallsThrough());
        assertTrue(insn(Opcode.ALU64 | Opcode.ADD | Opcode.K, 0, 0, 1).fallsThrough());
    }

    @Test
    void helperCallsAndExitsHaveNoTarget() {
        assertFalse(insn(Opcode.JMP | Opcode.CALL, Opcode.CALL_HELPER, 0, 1).hasBranchTarget());
        assertFalse(insn(Opcode.JMP | Opcode.EXIT, 0, 0, 0).isBranch());
        assertFalse(insn(Opcode.ALU64 | Opcode.ADD | Opcode.K, 0, 0, 1).isBranch());
    }
}
