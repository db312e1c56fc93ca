package org.ebpf4j.isa.text;

import static org.ebpf4j.isa.Opcode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.InstructionRules;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Size;
import org.junit.jupiter.api.Test;

/** encode -> decode -> disassemble (lossless) -> assemble gives back the program, for every instruction form. */
class RoundTripPropertyTest {
    private static final int[] ALU_CODES = {ADD, SUB, MUL, DIV, OR, AND, LSH, RSH, MOD, XOR, MOV, ARSH};
    private static final int[] CONDITIONS = {JEQ, JGT, JGE, JSET, JNE, JSGT, JSGE, JLT, JLE, JSLT, JSLE};
    private static final int FORMS = 22;

    private final Random random = new Random(9669);

    @Test
    void everyWellFormedInstructionSurvivesTheText() {
        int[] perForm = new int[FORMS];
        for (int round = 0; round < 400; round++) {
            List<Instruction> list = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int form = random.nextInt(FORMS);
                perForm[form]++;
                Instruction insn = form(form);
                assertNull(InstructionRules.violation(insn), () -> "generator made an invalid " + insn);
                list.add(insn);
            }
            assertRoundTrip(Instructions.of(list));
        }
        for (int form = 0; form < FORMS; form++) {
            assertEquals(true, perForm[form] > 100, "form " + form + " drawn only " + perForm[form] + " times");
        }
    }

    /** Lossless text also carries encodings that are no instruction (as .insn), so any slot sequence survives. */
    @Test
    void arbitraryEncodingsSurviveTheText() {
        for (int round = 0; round < 200; round++) {
            List<Instruction> list = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                int opcode = random.nextInt(256);
                long imm = opcode == LDDW ? random.nextLong() : random.nextInt();
                list.add(new Instruction(opcode, random.nextInt(16), random.nextInt(16), (short) random.nextInt(), imm));
            }
            assertRoundTrip(Instructions.of(list));
        }
    }

    private static void assertRoundTrip(Instructions program) {
        Instructions decoded = Instructions.decode(program.encode());
        String text = Disassembler.lossless().disassemble(decoded);
        assertEquals(program, Assembler.assemble(text), text);
    }

    private Instruction form(int form) {
        int dst = random.nextInt(11);
        int src = random.nextInt(11);
        int off = (short) random.nextInt();
        int imm = interesting();
        return switch (form) {
            case 0 -> new Instruction(ALU64 | pick(ALU_CODES) | K, dst, 0, 0, imm);
            case 1 -> new Instruction(ALU64 | pick(ALU_CODES) | X, dst, src, 0, 0);
            case 2 -> new Instruction(ALU | pick(ALU_CODES) | K, dst, 0, 0, imm);
            case 3 -> new Instruction(ALU | pick(ALU_CODES) | X, dst, src, 0, 0);
            case 4 -> random.nextBoolean()
                    ? new Instruction(pick(new int[] {ALU, ALU64}) | pick(new int[] {DIV, MOD}) | K, dst, 0, 1, imm)
                    : new Instruction(pick(new int[] {ALU, ALU64}) | pick(new int[] {DIV, MOD}) | X, dst, src, 1, 0);
            case 5 -> random.nextBoolean()
                    ? new Instruction(ALU64 | MOV | X, dst, src, pick(new int[] {8, 16, 32}), 0)
                    : new Instruction(ALU | MOV | X, dst, src, pick(new int[] {8, 16}), 0);
            case 6 -> new Instruction(pick(new int[] {ALU | NEG, ALU64 | NEG}), dst, 0, 0, 0);
            case 7 -> new Instruction(pick(new int[] {ALU | END | TO_LE, ALU | END | TO_BE, ALU64 | END}), dst, 0, 0,
                    pick(new int[] {16, 32, 64}));
            case 8 -> new Instruction(pick(new int[] {JMP, JMP32}) | pick(CONDITIONS) | K, dst, 0, off, imm);
            case 9 -> new Instruction(pick(new int[] {JMP, JMP32}) | pick(CONDITIONS) | X, dst, src, off, 0);
            case 10 -> random.nextBoolean() ? new Instruction(JMP | JA, 0, 0, off, 0) : new Instruction(JMP32 | JA, 0, 0, 0, imm);
            case 11 -> new Instruction(JMP | CALL, 0, random.nextInt(3), 0, imm);
            case 12 -> random.nextBoolean() ? new Instruction(JMP | CALL | X, dst, 0, 0, 0) : new Instruction(JMP | EXIT, 0, 0, 0, 0);
            case 13 -> new Instruction(LDX | MEM | size().code, dst, src, off, 0);
            case 14 -> new Instruction(LDX | MEMSX | pick(new int[] {B, H, W}), dst, src, off, 0);
            case 15 -> new Instruction(ST | MEM | size().code, dst, 0, off, imm);
            case 16 -> new Instruction(STX | MEM | size().code, dst, src, off, 0);
            case 17 -> atomic(dst, src, off);
            case 18 -> new Instruction(LDDW, dst, random.nextInt(PSEUDO_MAP_IDX_VALUE + 1), 0,
                    random.nextBoolean() ? random.nextLong() : imm);
            case 19 -> new Instruction(LD | ABS | pick(new int[] {B, H, W}), 0, 0, 0, imm);
            case 20 -> new Instruction(LD | IND | pick(new int[] {B, H, W}), 0, src, 0, random.nextBoolean() ? 0 : imm);
            case 21 -> random.nextBoolean() ? new Instruction(JMP | JA, 0, 0, 0, 0) : new Instruction(JMP | CALL, 0, CALL_LOCAL, 0, -1);
            default -> throw new AssertionError(form);
        };
    }

    private Instruction atomic(int dst, int src, int off) {
        AtomicOp op = AtomicOp.values()[random.nextInt(AtomicOp.values().length)];
        int imm = op.fetchIsOptional() && random.nextBoolean() ? op.code | FETCH : op.code;
        return new Instruction(STX | ATOMIC | (random.nextBoolean() ? W : DW), dst, src, off, imm);
    }

    private Size size() {
        return Size.values()[random.nextInt(4)];
    }

    private int pick(int[] values) {
        return values[random.nextInt(values.length)];
    }

    private int interesting() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt();
            case 1 -> random.nextInt(64) - 32;
            case 2 -> pick(new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0xffff, 0x8000});
            default -> random.nextInt(1 << 16);
        };
    }
}
