package org.ebpf4j.verifier.scalar;

import org.ebpf4j.isa.JumpOp;

/**
 * The relation a conditional jump tests between its operands, with the one relation eBPF has no opcode for:
 * the negation of JSET ({@link #CLEAR}, the kernel's {@code BPF_JSET | BPF_X} in rev_opcode), which the
 * fall-through path of a JSET learns.
 */
enum Comparison {
    EQ, NE, GT, GE, LT, LE, SGT, SGE, SLT, SLE, SET, CLEAR;

    static Comparison of(JumpOp op) {
        return switch (op) {
            case JEQ -> EQ;
            case JNE -> NE;
            case JGT -> GT;
            case JGE -> GE;
            case JLT -> LT;
            case JLE -> LE;
            case JSGT -> SGT;
            case JSGE -> SGE;
            case JSLT -> SLT;
            case JSLE -> SLE;
            case JSET -> SET;
            case JA, CALL, EXIT -> throw new IllegalArgumentException("not a conditional jump: " + op);
        };
    }

    /** The relation that holds when this one does not (the fall-through path). */
    Comparison negated() {
        return switch (this) {
            case EQ -> NE;
            case NE -> EQ;
            case GT -> LE;
            case GE -> LT;
            case LT -> GE;
            case LE -> GT;
            case SGT -> SLE;
            case SGE -> SLT;
            case SLT -> SGE;
            case SLE -> SGT;
            case SET -> CLEAR;
            case CLEAR -> SET;
        };
    }

    /** The same relation with the operands exchanged: {@code a < b} is {@code b > a}. */
    Comparison swapped() {
        return switch (this) {
            case EQ, NE, SET, CLEAR -> this;
            case GT -> LT;
            case GE -> LE;
            case LT -> GT;
            case LE -> GE;
            case SGT -> SLT;
            case SGE -> SLE;
            case SLT -> SGT;
            case SLE -> SGE;
        };
    }
}
