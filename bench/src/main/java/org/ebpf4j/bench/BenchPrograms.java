package org.ebpf4j.bench;

import static org.ebpf4j.isa.Register.*;

import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.verifier.Verdict;
import org.ebpf4j.verifier.Verifier;
import org.ebpf4j.verifier.VerifierOptions;
import org.ebpf4j.verifier.facts.AccessFacts;

/** Benchmark programs with exactly known dynamic instruction counts. */
final class BenchPrograms {
    private BenchPrograms() {}

    static final int ITERATIONS = 1000;

    /** 2 + 8 per iteration + 1. */
    static final int ALU_LOOP_INSNS = 2 + 8 * ITERATIONS + 1;
    /** 2 + 8 per iteration + 1. */
    static final int MEMORY_LOOP_INSNS = 2 + 8 * ITERATIONS + 1;
    /** 2 + (7 in the loop + 3 in the subprogram + the helper call) per iteration + 2. */
    static final int CALL_LOOP_INSNS = 2 + 10 * ITERATIONS + 2;

    static final int HELPER_ID = 1;

    static Instructions aluLoop() {
        return new ProgramBuilder()
                .mov64(R0, 0)
                .mov64(R1, ITERATIONS)
                .label("loop")
                .alu64(AluOp.ADD, R0, R1)
                .alu64(AluOp.XOR, R0, 0x55)
                .alu64(AluOp.LSH, R0, 3)
                .alu64(AluOp.RSH, R0, 1)
                .alu32(AluOp.MUL, R0, 7)
                .alu64(AluOp.OR, R0, R1)
                .alu64(AluOp.SUB, R1, 1)
                .jump(JumpOp.JNE, R1, 0, "loop")
                .exit()
                .build();
    }

    static Instructions memoryLoop() {
        return new ProgramBuilder()
                .mov64(R0, 0)
                .mov64(R1, ITERATIONS)
                .label("loop")
                .stx(Size.DW, R10, -8, R1)
                .ldx(Size.DW, R2, R10, -8)
                .alu64(AluOp.ADD, R0, R2)
                .stx(Size.W, R10, -16, R0)
                .ldx(Size.W, R3, R10, -16)
                .stx(Size.B, R10, -17, R3)
                .alu64(AluOp.SUB, R1, 1)
                .jump(JumpOp.JNE, R1, 0, "loop")
                .exit()
                .build();
    }

    static Instructions callLoop() {
        return new ProgramBuilder()
                .mov64(R6, ITERATIONS)
                .mov64(R7, 0)
                .label("loop")
                .mov64(R1, R6)
                .callLocal("f")
                .alu64(AluOp.ADD, R7, R0)
                .call(HELPER_ID)
                .alu64(AluOp.ADD, R7, R0)
                .alu64(AluOp.SUB, R6, 1)
                .jump(JumpOp.JNE, R6, 0, "loop")
                .mov64(R0, R7)
                .exit()
                .label("f")
                .mov64(R0, R1)
                .alu64(AluOp.ADD, R0, 1)
                .exit()
                .build();
    }

    /** What ebpf4j's verifier proves about the memory accesses of a socket-filter program it accepts. */
    static AccessFacts verifiedFacts(Instructions program) {
        Verdict verdict = Verifier.verify(program, VerifierOptions.socketFilter());
        if (!(verdict instanceof Verdict.Accepted accepted)) {
            throw new IllegalStateException("benchmark program rejected: " + verdict.log());
        }
        return accepted.facts();
    }

    /** Helper {@value #HELPER_ID} returns its first argument. */
    static HelperRegistry helpers() {
        return HelperRegistry.empty().with(HELPER_ID, "identity", (c, a, b, d, e, f) -> a);
    }

    /**
     * {@code size} instructions without loops, as a large XDP or TC program is: arithmetic on r0-r5, short forward
     * branches, stack stores and loads. Deterministic for a seed; runs about three quarters of its instructions.
     */
    static Instructions straightLine(int size, long seed) {
        var random = new java.util.Random(seed);
        var b = new ProgramBuilder();
        var registers = new org.ebpf4j.isa.Register[] {R0, R1, R2, R3, R4, R5};
        AluOp[] ops = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.XOR, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH};
        for (var r : registers) {
            b.mov64(r, random.nextInt());
        }
        int labels = 0;
        java.util.Map<Integer, java.util.List<String>> pending = new java.util.HashMap<>();
        for (int i = registers.length; i < size - 1; i++) {
            for (String label : pending.getOrDefault(i, java.util.List.of())) {
                b.label(label);
            }
            var dst = registers[random.nextInt(registers.length)];
            var src = registers[random.nextInt(registers.length)];
            int kind = random.nextInt(10);
            if (kind < 6) {
                AluOp op = ops[random.nextInt(ops.length)];
                int imm = op == AluOp.LSH || op == AluOp.RSH ? random.nextInt(64) : random.nextInt();
                if (random.nextBoolean()) b.alu64(op, dst, imm); else b.alu32(op, dst, src);
            } else if (kind < 8 && i + 20 < size - 1) {
                String label = "l" + labels++;
                pending.computeIfAbsent(i + 2 + random.nextInt(16), k -> new java.util.ArrayList<>()).add(label);
                b.jump(JumpOp.JGT, dst, src, label);
            } else if (kind == 8) {
                b.stx(Size.DW, R10, -8 * (1 + random.nextInt(16)), src);
            } else {
                b.ldx(Size.DW, dst, R10, -8 * (1 + random.nextInt(16)));
            }
        }
        for (String label : pending.getOrDefault(size - 1, java.util.List.of())) {
            b.label(label);
        }
        return b.exit().build();
    }
}
