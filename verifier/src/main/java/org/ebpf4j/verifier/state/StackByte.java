package org.ebpf4j.verifier.state;

/** What one stack byte holds (the kernel's STACK_INVALID, STACK_MISC, STACK_ZERO, STACK_SPILL). */
public enum StackByte {
    /** Never written on this path. */
    INVALID,
    /** Written with some number the verifier does not track. */
    MISC,
    /** Known to be zero. */
    ZERO,
    /** Part of a register spilled whole (8 bytes, aligned); the slot keeps the register. */
    SPILL
}
