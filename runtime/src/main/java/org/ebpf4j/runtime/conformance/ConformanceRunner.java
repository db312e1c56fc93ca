package org.ebpf4j.runtime.conformance;

import java.util.Arrays;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.conformance.ConformanceVector;
import org.ebpf4j.runtime.Engine;
import org.ebpf4j.runtime.Invocation;
import org.ebpf4j.runtime.helpers.HelperRegistry;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.runtime.memory.Region;

/**
 * Runs programs under the execution contract of the RFC 9669 conformance suite: r1 points to a private copy of
 * the input memory (0 when there is none), r2 holds its length, and helper 5 returns its first argument.
 */
public final class ConformanceRunner {
    /** The suite's only helper: id 5, returning r1. */
    public static final HelperRegistry HELPERS =
            HelperRegistry.empty().with(5, "conformance_identity", (context, r1, r2, r3, r4, r5) -> r1);

    /** Conformance programs are short; a run that takes this many backward jumps is treated as hung. */
    public static final long BACKWARD_JUMP_LIMIT = 100_000_000L;

    private final Engine engine;
    private final boolean blindConstants;

    public ConformanceRunner(Engine engine) {
        this(engine, false);
    }

    /** A runner whose JIT blinds every immediate ({@link Engine#prepare(Instructions, HelperRegistry, long,
     * org.ebpf4j.runtime.MapResolver, boolean)}). */
    public ConformanceRunner(Engine engine, boolean blindConstants) {
        this.engine = engine;
        this.blindConstants = blindConstants;
    }

    /** The outcome of one vector: passed, or what went wrong. */
    public record Outcome(ConformanceVector vector, boolean passed, String detail) {}

    /** Runs a program on a copy of {@code memory} and returns r0; faults surface as {@link BpfException}. */
    public long execute(Instructions program, byte[] memory) {
        var executable = engine.prepare(program, HELPERS, BACKWARD_JUMP_LIMIT, null, blindConstants);
        var invocation = new Invocation();
        long r1 = memory.length == 0 ? Pointer.NULL
                : invocation.map(Region.of("memory", Arrays.copyOf(memory, memory.length)));
        return executable.run(invocation, r1, memory.length, 0, 0, 0);
    }

    public Outcome run(ConformanceVector vector) {
        try {
            long r0 = execute(vector.instructions(), vector.memory());
            if (vector.expectsError()) {
                return new Outcome(vector, false, "expected an error, got r0 = 0x" + Long.toHexString(r0));
            }
            return r0 == vector.expectedR0()
                    ? new Outcome(vector, true, "r0 = 0x" + Long.toHexString(r0))
                    : new Outcome(vector, false, "expected r0 = 0x" + Long.toHexString(vector.expectedR0())
                            + ", got 0x" + Long.toHexString(r0));
        } catch (BpfException e) {
            return vector.expectsError()
                    ? new Outcome(vector, true, "error: " + e.getMessage())
                    : new Outcome(vector, false, "error: " + e.getMessage());
        }
    }
}
