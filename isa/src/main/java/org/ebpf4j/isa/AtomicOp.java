package org.ebpf4j.isa;

/**
 * Atomic read-modify-write operations, selected by the imm field of {@code STX | ATOMIC | W/DW}.
 *
 * <p>ADD, OR, AND and XOR exist with and without {@link Opcode#FETCH} (which returns the old value in src_reg);
 * XCHG and CMPXCHG always fetch. CMPXCHG compares with r0 and returns the old value in r0.
 */
public enum AtomicOp {
    ADD(Opcode.ADD), OR(Opcode.OR), AND(Opcode.AND), XOR(Opcode.XOR), XCHG(Opcode.XCHG), CMPXCHG(Opcode.CMPXCHG);

    public final int code;

    AtomicOp(int code) {
        this.code = code;
    }

    /** The operation encoded in an atomic instruction's imm, or null when imm names none. */
    public static AtomicOp of(int imm) {
        for (AtomicOp op : values()) {
            if (op.code == imm || (op.fetchIsOptional() && (op.code | Opcode.FETCH) == imm)) {
                return op;
            }
        }
        return null;
    }

    /** True when imm asks for the old value to be returned. */
    public static boolean fetches(int imm) {
        return (imm & Opcode.FETCH) != 0;
    }

    /** ADD, OR, AND and XOR come in both forms; XCHG and CMPXCHG only fetch. */
    public boolean fetchIsOptional() {
        return this != XCHG && this != CMPXCHG;
    }

    /**
     * The value stored by this operation, given the old memory value and src_reg. CMPXCHG's store is
     * conditional and is decided by the caller; here it returns the replacement value.
     */
    public long apply(long old, long operand) {
        return switch (this) {
            case ADD -> old + operand;
            case OR -> old | operand;
            case AND -> old & operand;
            case XOR -> old ^ operand;
            case XCHG, CMPXCHG -> operand;
        };
    }
}
