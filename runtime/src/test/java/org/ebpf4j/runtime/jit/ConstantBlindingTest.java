package org.ebpf4j.runtime.jit;

import static org.ebpf4j.isa.Register.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.IntegerEntry;
import java.lang.classfile.constantpool.LongEntry;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.ebpf4j.isa.AluOp;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.isa.ProgramBuilder;
import org.ebpf4j.isa.Size;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Region;
import org.junit.jupiter.api.Test;

/**
 * With constant blinding, the generated classes hold none of the program's 32- or 64-bit immediates (in any form
 * the JIT could have emitted them: as the int, sign-extended, zero-extended), and the program gives the same
 * results. Without it, they do: the scan finds what it looks for.
 */
class ConstantBlindingTest {
    private final Random random = new Random(0xb1d);
    private final Set<Long> chosen = new HashSet<>();

    @Test
    void noImmediateOfTheProgramIsInTheBlindedClasses() {
        Instructions program = program();
        long[] lddw = JitSplitTest.lddwValues(program);
        var blinded = Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE, lddw, random.nextLong());
        assertEquals(new TreeSet<Long>(), found(blinded));
        var plain = Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE, lddw, null);
        assertEquals(chosen.size(), found(plain).size(), "the unblinded class holds every immediate");
    }

    /** Split programs are blinded too: chunks read the key like any method. */
    @Test
    void splitProgramsAreBlindedAndAgreeWithTheInterpreter() {
        Instructions program = LargePrograms.generate(30_000, 3);
        var blinded = Jit.generate(program, HelperRegistry.empty(), Long.MAX_VALUE, JitSplitTest.lddwValues(program),
                random.nextLong());
        assertTrue(blinded.methodNames().get(0).size() > 3, "split");
        Set<Long> immediates = new HashSet<>();
        for (var insn : program) {
            if (insn.isLddw()) {
                immediates.add(insn.imm());
            } else if (insn.usesImmediate() && Math.abs(insn.imm32()) > 0x1_0000) {
                immediates.add((long) insn.imm32());
            }
        }
        assertFalse(immediates.isEmpty());
        Set<Long> pool = constantPool(blinded);
        immediates.retainAll(pool);
        assertEquals(Set.of(), immediates);
        var jit = new JitProgram(blinded.define(), program, HelperRegistry.empty(), Long.MAX_VALUE);
        var interpreter = Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE);
        assertEquals(run(interpreter), run(jit));
    }

    @Test
    void aBlindedProgramGivesTheInterpretersResults() {
        Instructions program = program();
        var interpreter = Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE);
        var blinded = Engine.JIT.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE, null, true);
        assertInstanceOf(JitProgram.class, blinded);
        assertEquals(run(interpreter), run(blinded));
    }

    private static String run(org.ebpf4j.runtime.Executable executable) {
        var invocation = new Invocation();
        byte[] memory = new byte[64];
        long r1 = invocation.map(Region.of("input", memory));
        long r0 = executable.run(invocation, r1, 0, 0, 0, 0);
        return r0 + " " + java.util.Arrays.toString(memory);
    }

    /** Every immediate form, each with a distinct value that no JIT would emit by itself. */
    private Instructions program() {
        var b = new ProgramBuilder().mov64(R0, imm()).mov32(R2, imm()).lddw(R3, wide());
        for (AluOp op : new AluOp[] {AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.MOD,
                AluOp.XOR}) {
            b.alu64(op, R0, imm()).alu32(op, R2, imm()).alu64(AluOp.ADD, R0, R2);
        }
        b.st(Size.DW, R10, -8, imm()).st(Size.W, R1, 4, imm()).ldx(Size.DW, R4, R10, -8).alu64(AluOp.XOR, R0, R4);
        b.jump(JumpOp.JGT, R0, imm(), "a").alu64(AluOp.ADD, R0, 1).label("a")
                .jump32(JumpOp.JNE, R2, imm(), "b").alu64(AluOp.ADD, R0, 2).label("b")
                .alu64(AluOp.ADD, R0, R3).stx(Size.DW, R1, 8, R0).exit();
        return b.build();
    }

    private int imm() {
        int value;
        do {
            value = random.nextInt();
        } while (Math.abs(value) < 0x10000);
        chosen.add((long) value);
        return value;
    }

    private long wide() {
        long value = random.nextLong();
        chosen.add(value);
        return value;
    }

    /** Which of the chosen values the classes hold, as the int, the long, or the zero-extended int. */
    private Set<Long> found(GeneratedClasses generated) {
        Set<Long> pool = constantPool(generated);
        Set<Long> found = new TreeSet<>();
        for (long value : chosen) {
            if (pool.contains(value) || pool.contains(value & 0xffff_ffffL)) {
                found.add(value);
            }
        }
        return found;
    }

    private static Set<Long> constantPool(GeneratedClasses generated) {
        Set<Long> values = new HashSet<>();
        for (byte[] bytes : generated.classFiles()) {
            for (var entry : ClassFile.of().parse(bytes).constantPool()) {
                if (entry instanceof IntegerEntry i) {
                    values.add((long) i.intValue());
                } else if (entry instanceof LongEntry l) {
                    values.add(l.longValue());
                }
            }
        }
        return values;
    }
}
