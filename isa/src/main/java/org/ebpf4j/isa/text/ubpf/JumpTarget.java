package org.ebpf4j.isa.text.ubpf;

/** Where a jump or local call goes: a slot displacement written as a number, or a label. */
sealed interface JumpTarget {

    /** {@code +2}, {@code -3}: slots counted from the instruction after the jump, as the encoding counts them. */
    record Relative(int displacement) implements JumpTarget {}

    record Label(String name) implements JumpTarget {}
}
