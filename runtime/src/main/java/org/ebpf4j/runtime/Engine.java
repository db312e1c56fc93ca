package org.ebpf4j.runtime;

import org.ebpf4j.isa.Instructions;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.interpreter.Interpreter;
import org.ebpf4j.runtime.jit.Jit;
import org.ebpf4j.verifier.facts.AccessFacts;

/** The ways ebpf4j can execute a program. Every engine gives the interpreter's results. */
public enum Engine {
    /** The reference interpreter. */
    INTERPRETER,
    /**
     * Compiled to JVM bytecode in a hidden class, then to native code by HotSpot; programs it cannot compile yet
     * run on the interpreter, with the reason logged.
     */
    JIT;

    /**
     * Prepares a program for running; {@code backwardJumpLimit} stops runs of programs that no verifier has proven
     * to terminate ({@link Long#MAX_VALUE} for none).
     */
    public Executable prepare(Instructions program, HelperRegistry helpers, long backwardJumpLimit) {
        return prepare(program, helpers, backwardJumpLimit, null);
    }

    /** As {@link #prepare(Instructions, HelperRegistry, long)}, resolving map references through {@code maps}. */
    public Executable prepare(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                              MapResolver maps) {
        return prepare(program, helpers, backwardJumpLimit, maps, false);
    }

    /**
     * As {@link #prepare(Instructions, HelperRegistry, long, MapResolver)}; {@code blindConstants} makes the JIT
     * blind every immediate (the interpreter generates no code, so it has nothing to blind).
     */
    public Executable prepare(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                              MapResolver maps, boolean blindConstants) {
        return prepare(program, helpers, backwardJumpLimit, maps, blindConstants, AccessFacts.none());
    }

    /**
     * As {@link #prepare(Instructions, HelperRegistry, long, MapResolver, boolean)}, with the verifier's facts about
     * the program's memory accesses (from {@link org.ebpf4j.verifier.Verdict.Accepted#facts()} on exactly these
     * instructions): the JIT addresses proven stack, context and packet accesses directly; the interpreter, the
     * reference, ignores them.
     */
    public Executable prepare(Instructions program, HelperRegistry helpers, long backwardJumpLimit,
                              MapResolver maps, boolean blindConstants, AccessFacts facts) {
        return switch (this) {
            case INTERPRETER -> Interpreter.load(program, helpers, backwardJumpLimit, maps);
            case JIT -> Jit.load(program, helpers, backwardJumpLimit, maps, blindConstants, facts);
        };
    }
}
