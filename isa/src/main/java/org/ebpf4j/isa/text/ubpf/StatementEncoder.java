package org.ebpf4j.isa.text.ubpf;

import static org.ebpf4j.isa.Opcode.*;

import org.ebpf4j.isa.Instruction;

/** Second pass: turns one statement into its instruction, with labels resolved. */
final class StatementEncoder {
    private final Labels labels;

    StatementEncoder(Labels labels) {
        this.labels = labels;
    }

    Instruction encode(Statement s) {
        Operands ops = s.operands();
        return switch (s.form()) {
            case Form.Arithmetic a -> {
                ops.expect(2, "dst, src register or immediate");
                int dst = ops.register(0);
                yield ops.isRegister(1)
                        ? new Instruction(a.opClass() | a.op() | X, dst, ops.register(1), a.offset(), 0)
                        : new Instruction(a.opClass() | a.op() | K, dst, 0, a.offset(), ops.imm32(1));
            }
            case Form.Negate n -> new Instruction(n.opClass() | NEG | K, ops.expect(1, "dst").register(0), 0, 0, 0);
            case Form.SignExtend x -> {
                ops.expect(2, "dst, src register");
                yield new Instruction(x.opClass() | MOV | X, ops.register(0), ops.register(1), x.bits(), 0);
            }
            case Form.ByteSwap b -> new Instruction(b.opcode(), ops.expect(1, "dst").register(0), 0, 0, b.bits());
            case Form.Branch b -> {
                ops.expect(3, "dst, src register or immediate, target");
                int dst = ops.register(0);
                int offset = offset16(s, ops.target(2));
                yield ops.isRegister(1)
                        ? new Instruction(b.opClass() | b.op() | X, dst, ops.register(1), offset, 0)
                        : new Instruction(b.opClass() | b.op() | K, dst, 0, offset, ops.imm32(1));
            }
            case Form.Goto g -> {
                JumpTarget target = ops.expect(1, "target").target(0);
                yield g.opClass() == JMP32
                        ? new Instruction(JMP32 | JA, 0, 0, 0, imm32(s, target))
                        : new Instruction(JMP | JA, 0, 0, offset16(s, target), 0);
            }
            case Form.Call c -> call(s, ops.expect(1, "helper id, 'local' target or register"));
            case Form.CallRegister c -> callRegister(ops.expect(1, "register").register(0));
            case Form.Exit e -> {
                ops.expect(0, "none");
                yield new Instruction(JMP | EXIT, 0, 0, 0, 0);
            }
            case Form.Load l -> {
                ops.expect(2, "dst, [src+offset]");
                MemoryOperand m = ops.memory(1);
                yield new Instruction(LDX | l.mode() | l.size().code, ops.register(0), m.register(), m.offset(), 0);
            }
            case Form.StoreImmediate st -> {
                ops.expect(2, "[dst+offset], immediate");
                MemoryOperand m = ops.memory(0);
                yield new Instruction(ST | MEM | st.size().code, m.register(), 0, m.offset(), ops.imm32(1));
            }
            case Form.StoreRegister st -> {
                ops.expect(2, "[dst+offset], src");
                MemoryOperand m = ops.memory(0);
                yield new Instruction(STX | MEM | st.size().code, m.register(), ops.register(1), m.offset(), 0);
            }
            case Form.Atomic a -> {
                ops.expect(2, "[dst+offset], src");
                MemoryOperand m = ops.memory(0);
                yield new Instruction(STX | ATOMIC | a.size().code, m.register(), ops.register(1), m.offset(),
                        a.operation());
            }
            case Form.LoadImmediate64 l -> {
                ops.expect(2, "dst, 64-bit immediate");
                yield new Instruction(LDDW, ops.register(0), PSEUDO_NONE, 0, ops.imm64(1));
            }
            case Form.PacketLoad p -> p.mode() == ABS
                    ? new Instruction(LD | ABS | p.size().code, 0, 0, 0, ops.expect(1, "offset").imm32(0))
                    : new Instruction(LD | IND | p.size().code, 0, ops.expect(2, "src, offset").register(0), 0,
                            ops.imm32(1));
        };
    }

    /** {@code call 5}, {@code call local f} and {@code call %r2}; the last is callx, register in dst_reg. */
    private Instruction call(Statement s, Operands ops) {
        String text = ops.text(0);
        if (text.startsWith("local ") || text.startsWith("local\t")) {
            Operands target = Operands.parse(s.line(), text.substring("local".length()));
            return new Instruction(JMP | CALL, 0, CALL_LOCAL, 0, imm32(s, target.target(0)));
        }
        if (ops.isRegister(0)) {
            return callRegister(ops.register(0));
        }
        return new Instruction(JMP | CALL, 0, CALL_HELPER, 0, ops.imm32(0));
    }

    /** callx keeps its register in dst_reg, as Linux and the conformance corpus encode it (imm stays 0). */
    private static Instruction callRegister(int register) {
        return new Instruction(JMP | CALL | X, register, 0, 0, 0);
    }

    private int offset16(Statement s, JumpTarget target) {
        long d = labels.displacement(target, s.slot(), s.line());
        if (d < Short.MIN_VALUE || d > Short.MAX_VALUE) {
            throw s.line().error("jump displacement " + d + " does not fit in the 16-bit offset (use ja32)");
        }
        return (int) d;
    }

    private int imm32(Statement s, JumpTarget target) {
        return (int) labels.displacement(target, s.slot(), s.line());
    }
}
