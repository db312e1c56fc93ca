package org.ebpf4j.runtime.jit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;

/**
 * Deterministic random programs of a given size, far over one JVM method: straight-line arithmetic with forward
 * jumps of up to a few thousand instructions, loops whose bodies span several chunks, stack and input accesses,
 * and bpf-to-bpf calls into two large subprograms (one calling the other). r1 points at a 64-byte input that the
 * programs also write, r9 is the loop counter, r10 the frame: the bodies write neither.
 */
final class LargePrograms {
    private static final AluOp[] OPS = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND,
            AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH};
    private static final JumpOp[] CONDITIONS = {JumpOp.JEQ, JumpOp.JGT, JumpOp.JGE, JumpOp.JSET, JumpOp.JNE,
            JumpOp.JSGT, JumpOp.JSGE, JumpOp.JLT, JumpOp.JLE, JumpOp.JSLT, JumpOp.JSLE};
    private static final Register[] WRITABLE = {Register.R0, Register.R2, Register.R3, Register.R4, Register.R5,
            Register.R6, Register.R7, Register.R8};

    private final Random random;
    private final ProgramBuilder b = new ProgramBuilder();
    private int labels;
    /** Forward jumps not yet placed: their label and how many instructions later it goes. */
    private final List<String> pendingLabels = new ArrayList<>();
    private final List<Integer> pendingDistances = new ArrayList<>();

    private LargePrograms(long seed) {
        this.random = new Random(seed);
    }

    /** A program of about {@code size} instructions: main takes 60%, each of the two subprograms 20%. */
    static Instructions generate(int size, long seed) {
        return new LargePrograms(seed).build(size);
    }

    private Instructions build(int size) {
        int mainSize = size * 6 / 10;
        int subSize = size / 5;
        b.mov64(Register.R0, 1).mov64(Register.R2, 2).lddw(Register.R6, 0x0123_4567_89ab_cdefL)
                .mov64(Register.R7, -7).mov64(Register.R8, 8).mov64(Register.R3, 3).mov64(Register.R4, 4)
                .mov64(Register.R5, 5);
        body(mainSize, "f", 6);
        b.exit();
        b.label("f");
        body(subSize, "g", 3);
        b.exit();
        b.label("g");
        body(subSize, null, 0);
        b.exit();
        return b.build();
    }

    /** {@code length} instructions with {@code calls} calls to {@code callee} and three loops spanning chunks. */
    private void body(int length, String callee, int calls) {
        int loopLength = Math.min(Math.max(length / 12, 50), 20_000);
        int[] loopStarts = {length / 8, length / 3, length * 2 / 3};
        int loop = 0;
        int emitted = 0;
        int nextCall = callee == null ? Integer.MAX_VALUE : length / (calls + 1);
        while (emitted < length) {
            if (loop < loopStarts.length && emitted >= loopStarts[loop]) {
                // A loop whose body is many chunks long: r9 counts three iterations.
                flushPending();
                String top = "loop" + labels++;
                b.mov64(Register.R9, 3).label(top);
                straight(loopLength);
                b.alu64(AluOp.SUB, Register.R9, 1).jump(JumpOp.JNE, Register.R9, 0, top);
                emitted += loopLength + 3;
                loop++;
                continue;
            }
            if (emitted >= nextCall) {
                flushPending();
                b.callLocal(callee);
                nextCall += length / (calls + 1);
                emitted++;
                continue;
            }
            straight(1);
            emitted++;
        }
        flushPending();
    }

    private void straight(int count) {
        for (int i = 0; i < count; i++) {
            tick();
            instruction();
        }
    }

    /** Binds the labels of forward jumps that have reached their target. */
    private void tick() {
        for (int i = pendingLabels.size() - 1; i >= 0; i--) {
            int left = pendingDistances.get(i) - 1;
            if (left <= 0) {
                b.label(pendingLabels.remove(i));
                pendingDistances.remove(i);
            } else {
                pendingDistances.set(i, left);
            }
        }
    }

    /** Jumps may not leave a loop body or a subprogram: their labels are placed before either ends. */
    private void flushPending() {
        for (String label : pendingLabels) {
            b.label(label);
        }
        pendingLabels.clear();
        pendingDistances.clear();
    }

    private void instruction() {
        Register dst = WRITABLE[random.nextInt(WRITABLE.length)];
        Register src = WRITABLE[random.nextInt(WRITABLE.length)];
        int imm = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(64) - 8;
        int kind = random.nextInt(20);
        if (kind < 11) {
            AluOp op = OPS[random.nextInt(OPS.length)];
            boolean register = random.nextBoolean();
            if (random.nextBoolean()) {
                if (register) b.alu64(op, dst, src); else b.alu64(op, dst, imm);
            } else {
                if (register) b.alu32(op, dst, src); else b.alu32(op, dst, imm);
            }
        } else if (kind < 14) {
            String label = "j" + labels++;
            JumpOp op = CONDITIONS[random.nextInt(CONDITIONS.length)];
            // Mostly short jumps, some across several thousand instructions (and so across chunks).
            int distance = random.nextInt(8) == 0 ? 500 + random.nextInt(4000) : 1 + random.nextInt(30);
            if (random.nextBoolean()) b.jump(op, dst, imm, label); else b.jump32(op, dst, src, label);
            pendingLabels.add(label);
            pendingDistances.add(distance);
        } else if (kind < 16) {
            int offset = -8 * (1 + random.nextInt(8));
            if (random.nextBoolean()) b.stx(Size.DW, Register.R10, offset, src);
            else b.ldx(Size.DW, dst, Register.R10, offset);
        } else if (kind < 18) {
            Size size = Size.values()[random.nextInt(4)];
            int offset = random.nextInt(57);
            if (random.nextBoolean()) b.ldx(size, dst, Register.R1, offset);
            else b.stx(size, Register.R1, offset, src);
        } else if (kind < 19) {
            b.lddw(dst, random.nextLong());
        } else {
            b.st(Size.DW, Register.R10, -8 * (1 + random.nextInt(8)), imm);
        }
    }
}
