package org.ebpf4j.runtime.jit;

import static java.lang.constant.ConstantDescs.CD_Integer;
import static java.lang.constant.ConstantDescs.CD_Long;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.constant.MethodTypeDesc;
import org.ebpf4j.isa.Condition;
import org.ebpf4j.isa.Condition.Relation;

/**
 * A conditional jump as the JVM's own compare-and-branch, from {@link Condition}'s description of the jump. A call
 * to a method that returns the test's boolean would do, but C2 then keeps that boolean as a value wherever the JVM
 * state at the branch must be kept (the uncommon trap on a branch never taken, a loop's safepoint poll), computing
 * it on the hot path: a {@code setcc}, a move and a second compare per iteration. With the operands themselves on
 * the stack, the state holds nothing the compare did not already have (and {@link MethodEmitter} moves backward
 * branches behind a {@code goto}, so that the poll holds nothing at all).
 *
 * <p>JMP32 compares the operands' low halves as ints. An unsigned order asks {@link Integer#compareUnsigned} or
 * {@link Long#compareUnsigned}: C2 compiles either with the branch on its result into one unsigned compare and a
 * jump, where flipping both sign bits for a signed compare left two XORs in log2_loop's inner loop. Callers push
 * each operand as a long and pass it through {@link #operand}, then call {@link #branch}.
 */
final class CompareAndBranch {
    private static final MethodTypeDesc COMPARE_LONGS = MethodTypeDesc.of(CD_int, CD_long, CD_long);
    private static final MethodTypeDesc COMPARE_INTS = MethodTypeDesc.of(CD_int, CD_int, CD_int);

    private CompareAndBranch() {}

    /** Turns the long on the stack into the operand the jump compares: its low half for JMP32. */
    static void operand(CodeBuilder code, boolean wide) {
        if (wide) {
            return;
        }
        code.l2i();
    }

    /** Compares the two operands on the stack and jumps to {@code target} when the jump's test gives {@code when}. */
    static void branch(CodeBuilder code, int jump, boolean wide, Label target, boolean when) {
        Relation relation = Condition.relation(jump);
        if (relation == Relation.COMMON_BIT) {
            if (wide) {
                code.land().lconst_0().lcmp();
            } else {
                code.iand();
            }
            code.branch(when ? Opcode.IFNE : Opcode.IFEQ, target);
            return;
        }
        Relation taken = when ? relation : negated(relation);
        if (Condition.isUnsigned(jump)) {
            if (wide) {
                code.invokestatic(CD_Long, "compareUnsigned", COMPARE_LONGS);
            } else {
                code.invokestatic(CD_Integer, "compareUnsigned", COMPARE_INTS);
            }
            code.branch(ifOrder(taken), target);
        } else if (wide) {
            code.lcmp();
            code.branch(ifOrder(taken), target);
        } else {
            code.branch(ifIntCompare(taken), target);
        }
    }

    /**
     * Compares two ints on the stack, both known to be in {@code [0, 2^31)} (a counted loop's counter and limit, see
     * {@link CountedLoops}), where signed and unsigned orders agree, and jumps as {@link #branch} does.
     */
    static void countedBranch(CodeBuilder code, int jump, Label target, boolean when) {
        Relation relation = Condition.relation(jump);
        code.branch(ifIntCompare(when ? relation : negated(relation)), target);
    }

    /** The relation that holds exactly when {@code relation} does not, signed or unsigned alike. */
    private static Relation negated(Relation relation) {
        return switch (relation) {
            case EQUAL -> Relation.NOT_EQUAL;
            case NOT_EQUAL -> Relation.EQUAL;
            case GREATER -> Relation.LESS_OR_EQUAL;
            case LESS_OR_EQUAL -> Relation.GREATER;
            case GREATER_OR_EQUAL -> Relation.LESS;
            case LESS -> Relation.GREATER_OR_EQUAL;
            case COMMON_BIT -> throw new IllegalArgumentException("JSET is no order");
        };
    }

    /** The branch on two ints. */
    private static Opcode ifIntCompare(Relation relation) {
        return switch (relation) {
            case EQUAL -> Opcode.IF_ICMPEQ;
            case NOT_EQUAL -> Opcode.IF_ICMPNE;
            case GREATER -> Opcode.IF_ICMPGT;
            case GREATER_OR_EQUAL -> Opcode.IF_ICMPGE;
            case LESS -> Opcode.IF_ICMPLT;
            case LESS_OR_EQUAL -> Opcode.IF_ICMPLE;
            case COMMON_BIT -> throw new IllegalArgumentException("JSET is no order");
        };
    }

    /** The branch on an order (negative, zero, positive) that lcmp or compareUnsigned left. */
    private static Opcode ifOrder(Relation relation) {
        return switch (relation) {
            case EQUAL -> Opcode.IFEQ;
            case NOT_EQUAL -> Opcode.IFNE;
            case GREATER -> Opcode.IFGT;
            case GREATER_OR_EQUAL -> Opcode.IFGE;
            case LESS -> Opcode.IFLT;
            case LESS_OR_EQUAL -> Opcode.IFLE;
            case COMMON_BIT -> throw new IllegalArgumentException("JSET is no order");
        };
    }
}
