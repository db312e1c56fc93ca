package org.ebpf4j.runtime.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.isa.Opcode;

/**
 * Small random edits of real programs, the kind of slip that turns a safe program into an unsafe one: an offset or
 * an immediate moved a little, a register swapped, a jump retargeted, a condition weakened or a check dropped (a
 * conditional jump that never or always jumps), another ALU operation or width, another access size. One to three edits per mutant; lddw pairs stay whole.
 */
final class ProgramMutator {
    private static final int[] DELTAS = {1, -1, 2, -2, 4, -4, 8, -8, 16, -16};
    private static final int[] INTERESTING = {0, 1, -1, 7, 8, 63, 64, 255, 0x7fff_ffff, 0x8000_0000};

    private ProgramMutator() {}

    /** A mutant of {@code seed}'s program; the same {@code mutationSeed} always gives the same mutant. */
    static FuzzCase mutate(FuzzCase seed, long mutationSeed) {
        Random random = new Random(mutationSeed);
        List<Instruction> insns = new ArrayList<>();
        seed.program().forEach(insns::add);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = random.nextInt(insns.size());
            insns.set(at, edit(insns.get(at), random));
        }
        return new FuzzCase(String.format("%s mutated seed=0x%x", seed.origin(), mutationSeed),
                Instructions.of(insns), seed.options());
    }

    private static Instruction edit(Instruction insn, Random random) {
        OpClass cls = insn.opClass();
        boolean jump = cls == OpClass.JMP || cls == OpClass.JMP32;
        boolean conditional = jump && insn.hasBranchTarget() && !insn.isLocalCall()
                && (insn.opcode() & 0xf0) != Opcode.JA;
        int what = random.nextInt(8);
        boolean alu = cls == OpClass.ALU || cls == OpClass.ALU64;
        boolean memory = cls == OpClass.LDX || cls == OpClass.ST || cls == OpClass.STX;
        if (what == 6 && alu) {
            // Another operation, or the other width.
            int[] ops = {Opcode.ADD, Opcode.SUB, Opcode.MUL, Opcode.DIV, Opcode.OR, Opcode.AND, Opcode.LSH,
                    Opcode.RSH, Opcode.NEG, Opcode.MOD, Opcode.XOR, Opcode.MOV, Opcode.ARSH};
            int opcode = random.nextBoolean() ? (insn.opcode() & 0x0f) | ops[random.nextInt(ops.length)]
                    : insn.opcode() ^ (Opcode.ALU ^ Opcode.ALU64);
            return new Instruction(opcode, insn.dst(), insn.src(), insn.offset(), insn.imm());
        }
        if (what == 7 && memory && (insn.opcode() & 0xe0) != Opcode.ATOMIC) {
            // Another access size.
            int[] sizes = {Opcode.B, Opcode.H, Opcode.W, Opcode.DW};
            return new Instruction((insn.opcode() & ~0x18) | sizes[random.nextInt(4)], insn.dst(), insn.src(),
                    insn.offset(), insn.imm());
        }
        if (conditional && what == 5) {
            // Drop the check: never jump (ja +0) or always jump.
            return new Instruction(Opcode.JMP | Opcode.JA, 0, 0, random.nextBoolean() ? 0 : insn.offset(), 0);
        }
        if (conditional && what == 4) {
            // A weaker or different condition: another comparison, or the other width.
            int[] ops = {Opcode.JEQ, Opcode.JGT, Opcode.JGE, Opcode.JSET, Opcode.JNE, Opcode.JSGT, Opcode.JSGE,
                    Opcode.JLT, Opcode.JLE, Opcode.JSLT, Opcode.JSLE};
            int opcode = random.nextBoolean() ? (insn.opcode() & 0x0f) | ops[random.nextInt(ops.length)]
                    : insn.opcode() ^ (Opcode.JMP ^ Opcode.JMP32);
            return new Instruction(opcode, insn.dst(), insn.src(), insn.offset(), insn.imm());
        }
        return switch (what) {
            case 0, 4, 5, 6, 7 -> insn.isLddw() || insn.isExit() || insn.isHelperCall() ? insn
                    : new Instruction(insn.opcode(), insn.dst(), insn.src(),
                            (short) (insn.offset() + DELTAS[random.nextInt(DELTAS.length)]), insn.imm());
            case 1 -> insn.isLddw() || insn.isHelperCall() || insn.isLocalCall() || !insn.usesImmediate() ? insn
                    : new Instruction(insn.opcode(), insn.dst(), insn.src(), insn.offset(), random.nextBoolean()
                            ? (int) insn.imm() + DELTAS[random.nextInt(DELTAS.length)]
                            : INTERESTING[random.nextInt(INTERESTING.length)]);
            case 2 -> insn.isLddw() && insn.src() != 0 ? insn
                    : new Instruction(insn.opcode(), random.nextInt(11), insn.src(), insn.offset(), insn.imm());
            default -> insn.isLddw() || insn.isHelperCall() || insn.isLocalCall() ? insn
                    : new Instruction(insn.opcode(), insn.dst(), random.nextInt(11), insn.offset(), insn.imm());
        };
    }
}
