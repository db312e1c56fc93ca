package org.ebpf4j.runtime.fuzz;

/**
 * How long the fuzz tests run: their counts are CI-sized, and {@code -Debpf4j.fuzz.scale=N} multiplies every one of
 * them, in this package and in {@code jit.DifferentialFuzzTest} (the long runs in docs/architecture.md).
 */
public final class FuzzScale {
    public static final int SCALE = Integer.getInteger("ebpf4j.fuzz.scale", 1);

    private FuzzScale() {}
}
