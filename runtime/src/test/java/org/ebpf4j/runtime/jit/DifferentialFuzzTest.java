package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.AtomicOp;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Register;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.ProgramFault;
import org.ebpf4j.runtime.fuzz.FuzzScale;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Region;
import org.ebpf4j.verifier.facts.AccessFact;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.ebpf4j.verifier.facts.PointerKind;
import org.junit.jupiter.api.Test;

/**
 * Random well-formed programs (every ALU form, forward jumps of both widths, stack and input loads, stores and
 * atomics, a bounded loop, the odd wild access) with random inputs must end the same way on the interpreter and the
 * JIT: the same r0, or the same fault at the same instruction. These programs are not verified (most would be
 * refused); {@code fuzz.VerifiedDifferentialFuzzTest} compares verified programs, memory and maps included.
 */
class DifferentialFuzzTest {
    private static final int PROGRAMS = 4000 * FuzzScale.SCALE;
    private static final long SEED = 0x6a17L;
    private static final AluOp[] BINARY = {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND,
            AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH};
    private static final JumpOp[] CONDITIONS = {JumpOp.JEQ, JumpOp.JGT, JumpOp.JGE, JumpOp.JSET, JumpOp.JNE,
            JumpOp.JSGT, JumpOp.JSGE, JumpOp.JLT, JumpOp.JLE, JumpOp.JSLT, JumpOp.JSLE};
    /** The bytes r1 points at. */
    static final int INPUT_BYTES = 64;
    private static final long[] INTERESTING = {0, 1, -1, 2, 31, 32, 63, 64, Integer.MIN_VALUE, Integer.MAX_VALUE,
            Long.MIN_VALUE, Long.MAX_VALUE, 0xffff_ffffL, 0x8000_0000L, 0x1_0000_0000L};
    private static final HelperRegistry HELPERS = HelperRegistry.empty()
            .with(1, "mix", (ctx, a, b, c, d, e) -> a * 31 + b * 17 + c - d ^ e);

    @Test
    void interpreterAndJitAgreeOnRandomPrograms() {
        agreeOnRandomPrograms(false);
    }

    /** Constant blinding changes how every immediate is emitted, never what it computes. */
    @Test
    void interpreterAndJitWithConstantBlindingAgreeOnRandomPrograms() {
        agreeOnRandomPrograms(false, true);
    }

    /** The same with a subprogram that both bodies call (local calls and callx), itself included. */
    @Test
    void interpreterAndJitAgreeOnRandomProgramsWithCalls() {
        agreeOnRandomPrograms(true);
    }

    /**
     * With access facts true by construction (the bodies never write r1 or r10): stack accesses through r10 are
     * direct at their frame offset, in the main program's frame and in the subprogram's; input accesses through r1
     * inside the input take the direct packet path (the input is an array region). Those past its end get no fact, as
     * a verifier would give none: a direct byte access indexes its array modulo the array's length, so a fact wrong
     * about the bounds reads the array's own bytes instead of faulting.
     */
    @Test
    void interpreterAndJitWithAccessFactsAgreeOnRandomPrograms() {
        agreeOnRandomPrograms(true, false, true);
    }

    private static void agreeOnRandomPrograms(boolean withCalls) {
        agreeOnRandomPrograms(withCalls, false);
    }

    private static void agreeOnRandomPrograms(boolean withCalls, boolean blind) {
        agreeOnRandomPrograms(withCalls, blind, false);
    }

    private static void agreeOnRandomPrograms(boolean withCalls, boolean blind, boolean facts) {
        var random = new Random(SEED + (withCalls ? 1 : 0) + (blind ? 2 : 0) + (facts ? 4 : 0));
        int faults = 0;
        for (int n = 0; n < PROGRAMS; n++) {
            Instructions program = randomProgram(random, withCalls);
            long[] inputs = new long[4];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = value(random);
            }
            byte[] memory = new byte[INPUT_BYTES];
            random.nextBytes(memory);
            String expected = outcome(Engine.INTERPRETER, program, inputs, memory, false, AccessFacts.none());
            String actual = outcome(Engine.JIT, program, inputs, memory, blind,
                    facts ? factsByConstruction(program) : AccessFacts.none());
            assertEquals(expected, actual, "program " + n + ":\n" + program);
            if (expected.startsWith("fault")) {
                faults++;
            }
        }
        // Both sides of the comparison must be exercised: normal ends and faults.
        // (Recursion makes the depth limit a common end of programs with calls.)
        int most = withCalls ? PROGRAMS * 3 / 4 : PROGRAMS / 2;
        org.junit.jupiter.api.Assertions.assertTrue(faults > PROGRAMS / 50 && faults < most,
                "faults: " + faults);
    }

    /**
     * Loads and stores through r10 inside the frame are own-frame stack accesses, those through r1 inside the input
     * packet-like input accesses; wild accesses before r1, past the input or outside the frame are not proven and get
     * no fact.
     */
    static AccessFacts factsByConstruction(Instructions program) {
        var recorder = new AccessFacts.Recorder(program.slotCount());
        for (int slot = 0; slot < program.slotCount(); slot += program.at(slot).slots()) {
            Instruction insn = program.at(slot);
            int cls = Opcode.opClass(insn.opcode());
            int mode = Opcode.mode(insn.opcode());
            boolean plain = mode == Opcode.MEM || mode == Opcode.MEMSX;
            if (!plain || (cls != Opcode.LDX && cls != Opcode.ST && cls != Opcode.STX)) {
                continue;
            }
            int base = cls == Opcode.LDX ? insn.src() : insn.dst();
            int size = Opcode.sizeBytes(insn.opcode());
            if (base == Register.R10.number() && insn.offset() >= -Invocation.STACK_SIZE
                    && insn.offset() + size <= 0) {
                recorder.record(slot, AccessFact.stack(insn.offset()));
            } else if (base == Register.R1.number() && insn.offset() >= 0 && insn.offset() + size <= INPUT_BYTES) {
                recorder.record(slot, AccessFact.of(PointerKind.PACKET));
            }
        }
        return recorder.build();
    }

    private static String outcome(Engine engine, Instructions program, long[] inputs, byte[] memory,
                                  boolean blind, AccessFacts facts) {
        var executable = engine.prepare(program, HELPERS, 10_000, null, blind, facts);
        var invocation = new Invocation();
        long r1 = invocation.map(Region.of("input", memory.clone()));
        try {
            return "r0 = " + executable.run(invocation, r1, inputs[0], inputs[1], inputs[2], inputs[3]);
        } catch (ProgramFault e) {
            return "fault: " + e.getMessage();
        }
    }

    private static long value(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 1 -> random.nextInt(256) - 128;
            default -> random.nextLong();
        };
    }

    /**
     * r9 counts the loop, r10 is the frame, r1 points at the 64-byte input: the body writes none of them, nor r8,
     * which a rotated loop's latch may overwrite with a copy of the counter. The loop takes each shape clang gives
     * one ({@link CountedLoops}): counting down, counting up to its latch, rotated (entered by a goto, its latch
     * before the body) testing a copy of the counter or the counter itself.
     */
    private static Instructions randomProgram(Random random, boolean withCalls) {
        var b = new ProgramBuilder();
        for (int r = 6; r <= 8; r++) {
            b.lddw(Register.values()[r], value(random));
        }
        b.mov64(Register.R0, (int) value(random));
        int iterations = 1 + random.nextInt(4);
        int shape = random.nextInt(4);
        if (shape == 0) {
            b.mov64(Register.R9, iterations);
            b.label("loop");
            body(b, random, "main", withCalls);
            b.alu64(AluOp.SUB, Register.R9, 1);
            b.jump(JumpOp.JNE, Register.R9, 0, "loop");
            b.exit();
        } else if (shape == 1) {
            b.mov64(Register.R9, 0);
            b.label("loop");
            body(b, random, "main", withCalls);
            b.alu64(AluOp.ADD, Register.R9, 1);
            b.jump(JumpOp.JLT, Register.R9, iterations, "loop");
            b.exit();
        } else {
            b.mov64(Register.R9, 0);
            b.ja("header");
            b.label("latch");
            if (shape == 2) {
                b.mov32(Register.R8, Register.R9);
                b.alu64(AluOp.ADD, Register.R9, 1);
                b.jump32(JumpOp.JLT, Register.R8, iterations - 1, "header");
            } else {
                b.alu64(AluOp.ADD, Register.R9, 1);
                b.jump(JumpOp.JNE, Register.R9, iterations, "header");
            }
            b.exit();
            b.label("header");
            body(b, random, "main", withCalls);
            b.ja("latch");
        }
        if (withCalls) {
            b.label("f");
            body(b, random, "f", true);
            b.exit();
        }
        return b.build();
    }

    private static void body(ProgramBuilder b, Random random, String prefix, boolean withCalls) {
        List<Consumer<ProgramBuilder>> body = new ArrayList<>();
        Map<Integer, List<String>> labels = new HashMap<>();
        int length = 5 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            body.add(withCalls && random.nextInt(12) == 0
                    ? randomCall(random)
                    : randomInstruction(random, prefix, i, length, labels));
        }
        for (int i = 0; i <= length; i++) {
            for (String label : labels.getOrDefault(i, List.of())) {
                b.label(label);
            }
            if (i < length) {
                body.get(i).accept(b);
            }
        }
    }

    private static Consumer<ProgramBuilder> randomCall(Random random) {
        Register target = writable(random);
        return switch (random.nextInt(3)) {
            case 0 -> b -> b.callLocal("f");
            case 1 -> b -> b.lddwFunction(target, "f").callx(target);
            default -> b -> b.callx(target); // a helper id, mostly unknown
        };
    }

    private static Register writable(Random random) {
        int r = random.nextInt(8); // r0 and r2-r8
        return Register.values()[r == 1 ? 0 : r];
    }

    private static Register readable(Random random) {
        return Register.values()[random.nextInt(11)];
    }

    private static Consumer<ProgramBuilder> randomInstruction(Random random, String prefix, int at, int length,
                                                              Map<Integer, List<String>> labels) {
        Register dst = writable(random);
        Register src = readable(random);
        int imm = (int) value(random);
        boolean wide = random.nextBoolean();
        int stackOffset = -8 * (1 + random.nextInt(8));
        Size size = Size.values()[random.nextInt(4)];
        switch (random.nextInt(16)) {
            case 0, 1, 2, 3, 4 -> {
                AluOp op = BINARY[random.nextInt(BINARY.length)];
                boolean register = random.nextBoolean();
                int opcode = (wide ? Opcode.ALU64 : Opcode.ALU) | op.code | (register ? Opcode.X : Opcode.K);
                return b -> b.add(new Instruction(opcode, dst.number(), register ? src.number() : 0, 0, register ? 0 : imm));
            }
            case 5 -> {
                AluOp op = random.nextBoolean() ? AluOp.DIV : AluOp.MOD;
                boolean register = random.nextBoolean();
                return b -> {
                    if (wide && register) b.signed64(op, dst, src);
                    else if (wide) b.signed64(op, dst, imm);
                    else if (register) b.signed32(op, dst, src);
                    else b.signed32(op, dst, imm);
                };
            }
            case 6 -> {
                int bits = new int[] {8, 16, 32}[random.nextInt(3)];
                int swapBits = new int[] {16, 32, 64}[random.nextInt(3)];
                return switch (random.nextInt(5)) {
                    case 0 -> b -> b.movsx64(dst, src, bits);
                    case 1 -> b -> b.movsx32(dst, src, bits == 32 ? 16 : bits);
                    case 2 -> b -> { if (wide) b.neg64(dst); else b.neg32(dst); };
                    case 3 -> b -> b.byteSwap(dst, swapBits);
                    default -> b -> { if (wide) b.toBigEndian(dst, swapBits); else b.toLittleEndian(dst, swapBits); };
                };
            }
            case 7, 8, 9 -> {
                JumpOp op = CONDITIONS[random.nextInt(CONDITIONS.length)];
                int target = at + 1 + random.nextInt(length - at);
                String label = prefix + at;
                labels.computeIfAbsent(target, t -> new ArrayList<>()).add(label);
                boolean register = random.nextBoolean();
                return b -> {
                    if (wide && register) b.jump(op, dst, src, label);
                    else if (wide) b.jump(op, dst, imm, label);
                    else if (register) b.jump32(op, dst, src, label);
                    else b.jump32(op, dst, imm, label);
                };
            }
            case 10 -> {
                return b -> b.stx(size, Register.R10, stackOffset, src);
            }
            case 11 -> {
                return random.nextBoolean()
                        ? b -> b.st(size, Register.R10, stackOffset, imm)
                        : b -> b.ldx(size, dst, Register.R10, stackOffset);
            }
            case 12 -> {
                // The input: in bounds mostly, sometimes past its end (a fault).
                int offset = random.nextInt(20) == 0 ? 57 + random.nextInt(8) : random.nextInt(57);
                return random.nextBoolean()
                        ? b -> b.ldx(size, dst, Register.R1, offset)
                        : b -> { if (size != Size.DW) b.ldxsx(size, dst, Register.R1, offset); else b.stx(size, Register.R1, offset, src); };
            }
            case 13 -> {
                AtomicOp op = AtomicOp.values()[random.nextInt(AtomicOp.values().length)];
                Size atomicSize = wide ? Size.DW : Size.W;
                Register operand = writable(random);
                return b -> b.atomic(atomicSize, op, random.nextBoolean(), Register.R10, stackOffset, operand);
            }
            case 14 -> {
                // A wild access through any register: faults unless it happens to hold a pointer.
                int offset = random.nextInt(16) - 8;
                return random.nextInt(8) == 0 ? b -> b.ldx(size, dst, src, offset) : b -> b.mov64(dst, src);
            }
            default -> {
                return b -> b.call(1);
            }
        }
    }
}
