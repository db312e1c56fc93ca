package org.ebpf4j.verifier.scalar;

/** The two operands of a comparison (dst, then src or the immediate), as one path after the jump sees them. */
public record Operands(Scalar left, Scalar right) {}
