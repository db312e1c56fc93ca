package org.ebpf4j.runtime.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.text.Assembler;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.verifier.facts.AccessFacts;
import org.junit.jupiter.api.Test;

/** Which multiplies the JIT emits as {@code -x & K} ({@link BitMultiplies}), and that they compute the product. */
class BitMultipliesTest {
    @Test
    void findsMultipliesOfARegisterThatHoldsZeroOrOne() {
        assertEquals(List.of(2), multiplies("w5 = w1\nw5 &= 0x1\nw5 *= -0x12c8a4e0\nr0 = r5\nexit"));
        assertEquals(List.of(1), multiplies("r5 >>= 0x3f\nr5 *= 0x7\nr0 = r5\nexit"));
        assertEquals(List.of(1), multiplies("w5 >>= 0x1f\nr5 *= 0x7\nr0 = r5\nexit"));
        assertEquals(List.of(1), multiplies("r5 = 0x1\nw5 *= 0x7\nr0 = r5\nexit"));
        // Through a copy, and past other work on other registers.
        assertEquals(List.of(4), multiplies("r5 &= 0x1\nr6 = r5\nr0 = r1\nr0 += 0x3\nr6 *= 0x7\nr0 = r6\nexit"));
        // One multiply makes no bit: the second multiply is a real one.
        assertEquals(List.of(1), multiplies("r5 &= 0x1\nr5 *= 0x7\nr5 *= 0x7\nr0 = r5\nexit"));
    }

    @Test
    void leavesOtherMultipliesAlone() {
        // Another mask, a shift that leaves more than one bit, a register multiplier.
        assertEquals(List.of(), multiplies("r5 &= 0x3\nr5 *= 0x7\nr0 = r5\nexit"));
        assertEquals(List.of(), multiplies("r5 >>= 0x1f\nr5 *= 0x7\nr0 = r5\nexit"));
        assertEquals(List.of(), multiplies("r5 &= 0x1\nr5 *= r2\nr0 = r5\nexit"));
        // A jump landing between: the register may come from elsewhere.
        assertEquals(List.of(), multiplies("if r1 == 0x0 goto in\nr5 &= 0x1\nin:\nr5 *= 0x7\nr0 = r5\nexit"));
        // A call writes r1-r5; a sign-extending copy or other write of the register.
        assertEquals(List.of(), multiplies("r5 &= 0x1\ncall 0x7\nr5 *= 0x7\nr0 = r5\nexit"));
        assertEquals(List.of(), multiplies("r5 &= 0x1\nr5 += 0x1\nr5 *= 0x7\nr0 = r5\nexit"));
        assertEquals(List.of(), multiplies("r5 &= 0x1\nr5 = (s8)r5\nr6 = r5\nr6 *= 0x7\nr0 = r6\nexit"));
    }

    /** Random chains of masks, shifts and multiplies give the interpreter's r0, blinded and not. */
    @Test
    void computesWhatTheInterpreterDoes() {
        Random random = new Random(9669);
        String[] bits = {"r5 &= 0x1", "w5 &= 0x1", "r5 >>= 0x3f", "w5 >>= 0x1f", "r5 = 0x1", "w5 = 0x0"};
        String[] constants = {"0x7", "-0x12c8a4e0", "-0x1", "0x7fffffff", "0x0", "0x1"};
        int emitted = 0;
        for (int i = 0; i < 200; i++) {
            StringBuilder source = new StringBuilder("r0 = r1\n");
            for (int step = 0; step < 6; step++) {
                source.append("r5 = r0\n").append(bits[random.nextInt(bits.length)]).append('\n')
                        .append(random.nextBoolean() ? "r5" : "w5").append(" *= ")
                        .append(constants[random.nextInt(constants.length)]).append("\nr0 ^= r5\nr0 += 0x")
                        .append(Integer.toHexString(random.nextInt(1 << 20))).append('\n');
            }
            Instructions program = Assembler.assemble(source.append("exit\n").toString());
            emitted += BitMultiplies.in(new SubprogramFlow(program, 0, program.slotCount())).cardinality();
            long r1 = random.nextLong();
            long expected = run(Engine.INTERPRETER.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE), r1);
            assertEquals(expected, run(Engine.JIT.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE), r1));
            assertEquals(expected, run(Engine.JIT.prepare(program, HelperRegistry.empty(), Long.MAX_VALUE, null,
                    true, AccessFacts.none()), r1));
        }
        assertEquals(1200, emitted, "every multiply of these chains qualifies");
    }

    private static List<Integer> multiplies(String source) {
        Instructions program = Assembler.assemble(source);
        return BitMultiplies.in(new SubprogramFlow(program, 0, program.slotCount())).stream().boxed().toList();
    }

    private static long run(Executable executable, long r1) {
        return executable.run(new Invocation(), r1, 0, 0, 0, 0);
    }
}
