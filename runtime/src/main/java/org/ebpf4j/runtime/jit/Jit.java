package org.ebpf4j.runtime.jit;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.Executable;
import org.ebpf4j.runtime.MapResolver;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.verifier.facts.AccessFacts;

/**
 * Compiles eBPF to JVM bytecode in hidden classes loaded with the program's helpers as class data. A subprogram
 * that fits HotSpot's 8000-byte limit for compiled methods is one static method; a larger one is cut into chunk
 * methods ({@link SplitPlan}); a program whose constants overflow one class's constant pool is spread over several
 * classes ({@link JitLinkage}). What the JIT cannot compile (jumps across subprograms, one instruction too large for
 * a method) runs on the interpreter instead, and the reason is logged.
 */
public final class Jit {
    /** HotSpot never compiles a method whose bytecode is larger (DontCompileHugeMethods). */
    static final int HUGE_METHOD_LIMIT = 8000;
    /**
     * The estimated bytecode a method is planned for (real methods come out at about 60% of the estimate). Far
     * below the 8000-byte limit on purpose: C2 optimizes big methods worse (its inlining and node budgets run out
     * before the calls to Alu, Condition and JitRuntime are all inlined); a loop-free 4096-instruction program ran
     * in about 9.5 us per run with a budget of 7000 and 4.3-6.1 us with 3000, 2000 or 1500.
     */
    private static final int METHOD_BUDGET = 3000;
    private static final int SMALLEST_BUDGET = 500;
    /** Estimated constant-pool entries a class is planned for; the JVM allows 65535. */
    private static final int CLASS_CONSTANTS = 50_000;
    private static final System.Logger LOG = System.getLogger(Jit.class.getName());
    private static final SecureRandom KEYS = new SecureRandom();

    private Jit() {}

    /** As {@link #load(Instructions, HelperRegistry, long, MapResolver, boolean)} without constant blinding. */
    public static Executable load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                  MapResolver maps) {
        return load(program, helpers, backwardJumpLimit, maps, false);
    }

    /**
     * Prepares a program: loads it on the interpreter first (the same structural checks, errors and map
     * resolution), then compiles it; the interpreter is the fallback.
     *
     * @param blindConstants whether every immediate is XORed with a random key, as the kernel's JIT hardening does
     */
    public static Executable load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                  MapResolver maps, boolean blindConstants) {
        return load(program, helpers, backwardJumpLimit, maps, blindConstants, AccessFacts.none());
    }

    /**
     * As above, with the verifier's facts about the program's memory accesses: proven stack, context and packet
     * accesses are compiled to direct accesses ({@link DirectAccess}), the others go through the region table. The
     * facts must be the verdict on exactly these instructions.
     */
    public static Executable load(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                  MapResolver maps, boolean blindConstants, AccessFacts facts) {
        Map<Integer, Long> resolved = new HashMap<>();
        MapResolver recording = maps == null ? null : (slot, pseudo, imm) -> {
            long value = maps.resolve(slot, pseudo, imm);
            resolved.put(slot, value);
            return value;
        };
        Interpreter interpreter = Interpreter.load(program, helpers, backwardJumpLimit, recording);
        try {
            Long key = blindConstants ? KEYS.nextLong() : null;
            GeneratedClasses generated = generate(program, helpers, backwardJumpLimit, constants(program, resolved),
                    key, facts, METHOD_BUDGET, CLASS_CONSTANTS);
            return new JitProgram(generated.define(), program, helpers, backwardJumpLimit);
        } catch (Subprograms.Unsupported | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.INFO, "JIT: running the program on the interpreter: {0}", e.getMessage());
            return interpreter;
        }
    }

    private static long[] constants(Instructions program, Map<Integer, Long> resolved) {
        long[] constants = new long[program.slotCount()];
        for (int i = 0; i < program.size(); i++) {
            var insn = program.get(i);
            if (insn.isLddw()) {
                int slot = program.slotOf(i);
                constants[slot] = resolved.getOrDefault(slot, insn.imm());
            }
        }
        return constants;
    }

    /**
     * The class files of a program, planned for smaller methods and classes until every method is under the
     * limit and every constant pool fits.
     */
    static GeneratedClasses generate(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                     long[] constants, Long blindingKey) {
        return generate(program, helpers, backwardJumpLimit, constants, blindingKey, METHOD_BUDGET);
    }

    /** As above, starting from a given method budget: tests split small programs into many tiny chunks. */
    static GeneratedClasses generate(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                     long[] constants, Long blindingKey, int methodBudget) {
        return generate(program, helpers, backwardJumpLimit, constants, blindingKey, methodBudget, CLASS_CONSTANTS);
    }

    /** As above, starting from given budgets: tests overfill classes on purpose. */
    static GeneratedClasses generate(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                     long[] constants, Long blindingKey, int methodBudget, int classConstants) {
        return generate(program, helpers, backwardJumpLimit, constants, blindingKey, AccessFacts.none(),
                methodBudget, classConstants);
    }

    /** As above, with the verifier's access facts (to which the frame-pointer accesses are added). */
    static GeneratedClasses generate(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                                     long[] constants, Long blindingKey, AccessFacts facts, int methodBudget,
                                     int classConstants) {
        Subprograms subprograms = Subprograms.of(program);
        AccessFacts known = FramePointerAccesses.added(program, facts);
        int budget = methodBudget;
        while (true) {
            GeneratedClasses generated;
            try {
                generated = new ClassGenerator(program, helpers, backwardJumpLimit, constants, blindingKey, known,
                        subprograms, budget, classConstants).generate();
            } catch (ClassGenerator.ConstantPoolFull e) {
                if (classConstants < 1000) {
                    throw new Subprograms.Unsupported(e.getMessage());
                }
                classConstants /= 2;
                continue;
            }
            String oversized = generated.oversizedMethod();
            if (oversized == null) {
                return generated;
            }
            if (budget / 2 < SMALLEST_BUDGET) {
                throw new Subprograms.Unsupported(oversized);
            }
            budget /= 2;
        }
    }
}
