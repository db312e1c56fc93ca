package org.ebpf4j.isa;

import static org.ebpf4j.isa.Opcode.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes programs in Java, one method per instruction form, with symbolic labels for jumps and local calls.
 *
 * <pre>{@code
 * Instructions p = new ProgramBuilder()
 *         .mov64(R0, 0)
 *         .label("loop")
 *         .alu64(AluOp.ADD, R0, 1)
 *         .jump(JumpOp.JLT, R0, 10, "loop")
 *         .exit()
 *         .build();
 * }</pre>
 */
public final class ProgramBuilder {
    private final List<Instruction> instructions = new ArrayList<>();
    private final List<Integer> slotOfInstruction = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();
    private final Map<Integer, String> pendingTargets = new HashMap<>();
    private int slots;

    /** Appends an instruction as it is. */
    public ProgramBuilder add(Instruction insn) {
        instructions.add(insn);
        slotOfInstruction.add(slots);
        slots += insn.slots();
        return this;
    }

    /** Names the slot of the next instruction. */
    public ProgramBuilder label(String name) {
        if (labels.putIfAbsent(name, slots) != null) {
            throw new IllegalArgumentException("label defined twice: " + name);
        }
        return this;
    }

    private ProgramBuilder addTargeting(Instruction insn, String label) {
        pendingTargets.put(instructions.size(), label);
        return add(insn);
    }

    // Arithmetic.

    public ProgramBuilder alu64(AluOp op, Register dst, int imm) {
        return add(new Instruction(ALU64 | op.code | K, dst.number(), 0, 0, imm));
    }

    public ProgramBuilder alu64(AluOp op, Register dst, Register src) {
        return add(new Instruction(ALU64 | op.code | X, dst.number(), src.number(), 0, 0));
    }

    public ProgramBuilder alu32(AluOp op, Register dst, int imm) {
        return add(new Instruction(ALU | op.code | K, dst.number(), 0, 0, imm));
    }

    public ProgramBuilder alu32(AluOp op, Register dst, Register src) {
        return add(new Instruction(ALU | op.code | X, dst.number(), src.number(), 0, 0));
    }

    public ProgramBuilder mov64(Register dst, int imm) {
        return alu64(AluOp.MOV, dst, imm);
    }

    public ProgramBuilder mov64(Register dst, Register src) {
        return alu64(AluOp.MOV, dst, src);
    }

    public ProgramBuilder mov32(Register dst, int imm) {
        return alu32(AluOp.MOV, dst, imm);
    }

    public ProgramBuilder mov32(Register dst, Register src) {
        return alu32(AluOp.MOV, dst, src);
    }

    /** Signed division or modulo (op DIV or MOD with offset 1). */
    public ProgramBuilder signed64(AluOp op, Register dst, Register src) {
        return add(new Instruction(ALU64 | signedOp(op) | X, dst.number(), src.number(), 1, 0));
    }

    public ProgramBuilder signed64(AluOp op, Register dst, int imm) {
        return add(new Instruction(ALU64 | signedOp(op) | K, dst.number(), 0, 1, imm));
    }

    public ProgramBuilder signed32(AluOp op, Register dst, Register src) {
        return add(new Instruction(ALU | signedOp(op) | X, dst.number(), src.number(), 1, 0));
    }

    public ProgramBuilder signed32(AluOp op, Register dst, int imm) {
        return add(new Instruction(ALU | signedOp(op) | K, dst.number(), 0, 1, imm));
    }

    private static int signedOp(AluOp op) {
        if (op != AluOp.DIV && op != AluOp.MOD) {
            throw new IllegalArgumentException("only DIV and MOD have signed forms, not " + op);
        }
        return op.code;
    }

    /** Sign-extending move of the low 8, 16 or 32 bits of src. */
    public ProgramBuilder movsx64(Register dst, Register src, int bits) {
        return add(new Instruction(ALU64 | MOV | X, dst.number(), src.number(), bits, 0));
    }

    public ProgramBuilder movsx32(Register dst, Register src, int bits) {
        return add(new Instruction(ALU | MOV | X, dst.number(), src.number(), bits, 0));
    }

    public ProgramBuilder neg64(Register dst) {
        return add(new Instruction(ALU64 | NEG, dst.number(), 0, 0, 0));
    }

    public ProgramBuilder neg32(Register dst) {
        return add(new Instruction(ALU | NEG, dst.number(), 0, 0, 0));
    }

    /** Converts the low {@code bits} of dst to little endian (le16/le32/le64). */
    public ProgramBuilder toLittleEndian(Register dst, int bits) {
        return add(new Instruction(ALU | END | TO_LE, dst.number(), 0, 0, bits));
    }

    /** Converts the low {@code bits} of dst to big endian (be16/be32/be64). */
    public ProgramBuilder toBigEndian(Register dst, int bits) {
        return add(new Instruction(ALU | END | TO_BE, dst.number(), 0, 0, bits));
    }

    /** Reverses the bytes of the low {@code bits} of dst unconditionally (bswap16/32/64, ISA v4). */
    public ProgramBuilder byteSwap(Register dst, int bits) {
        return add(new Instruction(ALU64 | END, dst.number(), 0, 0, bits));
    }

    // Jumps and calls.

    public ProgramBuilder ja(String label) {
        return addTargeting(new Instruction(JMP | JA, 0, 0, 0, 0), label);
    }

    /** JMP32 | JA: an unconditional jump with a 32-bit displacement (ISA v4). */
    public ProgramBuilder gotol(String label) {
        return addTargeting(new Instruction(JMP32 | JA, 0, 0, 0, 0), label);
    }

    public ProgramBuilder jump(JumpOp op, Register dst, int imm, String label) {
        return addTargeting(new Instruction(JMP | conditional(op) | K, dst.number(), 0, 0, imm), label);
    }

    public ProgramBuilder jump(JumpOp op, Register dst, Register src, String label) {
        return addTargeting(new Instruction(JMP | conditional(op) | X, dst.number(), src.number(), 0, 0), label);
    }

    public ProgramBuilder jump32(JumpOp op, Register dst, int imm, String label) {
        return addTargeting(new Instruction(JMP32 | conditional(op) | K, dst.number(), 0, 0, imm), label);
    }

    public ProgramBuilder jump32(JumpOp op, Register dst, Register src, String label) {
        return addTargeting(new Instruction(JMP32 | conditional(op) | X, dst.number(), src.number(), 0, 0), label);
    }

    private static int conditional(JumpOp op) {
        if (!op.isConditional()) {
            throw new IllegalArgumentException(op + " is not a conditional jump");
        }
        return op.code;
    }

    /** Calls a helper function by its id ({@code BPF_FUNC_*}). */
    public ProgramBuilder call(int helperId) {
        return add(new Instruction(JMP | CALL, 0, CALL_HELPER, 0, helperId));
    }

    /** Calls a subprogram of this program (bpf-to-bpf call). */
    public ProgramBuilder callLocal(String label) {
        return addTargeting(new Instruction(JMP | CALL, 0, CALL_LOCAL, 0, 0), label);
    }

    /** Calls a kernel function by BTF id. */
    public ProgramBuilder callKfunc(int btfId) {
        return add(new Instruction(JMP | CALL, 0, CALL_KFUNC, 0, btfId));
    }

    /** Calls the function whose address is in a register. */
    public ProgramBuilder callx(Register target) {
        return add(new Instruction(JMP | CALL | X, target.number(), 0, 0, 0));
    }

    public ProgramBuilder exit() {
        return add(new Instruction(JMP | EXIT, 0, 0, 0, 0));
    }

    // Loads and stores.

    /** dst = 64-bit immediate (lddw). */
    public ProgramBuilder lddw(Register dst, long value) {
        return add(new Instruction(LDDW, dst.number(), PSEUDO_NONE, 0, value));
    }

    /** An lddw whose immediate a loader interprets (map fd or index, map value, BTF id, ...). */
    public ProgramBuilder lddwPseudo(Register dst, int pseudo, long value) {
        return add(new Instruction(LDDW, dst.number(), pseudo, 0, value));
    }

    /** dst = address of the subprogram at a label (lddw with BPF_PSEUDO_FUNC). */
    public ProgramBuilder lddwFunction(Register dst, String label) {
        pendingTargets.put(instructions.size(), label);
        return add(new Instruction(LDDW, dst.number(), PSEUDO_FUNC, 0, 0));
    }

    /** dst = *(size *)(src + offset). */
    public ProgramBuilder ldx(Size size, Register dst, Register src, int offset) {
        return add(new Instruction(LDX | MEM | size.code, dst.number(), src.number(), offset, 0));
    }

    /** Sign-extending load (ISA v4). */
    public ProgramBuilder ldxsx(Size size, Register dst, Register src, int offset) {
        return add(new Instruction(LDX | MEMSX | size.code, dst.number(), src.number(), offset, 0));
    }

    /** *(size *)(dst + offset) = imm. */
    public ProgramBuilder st(Size size, Register dst, int offset, int imm) {
        return add(new Instruction(ST | MEM | size.code, dst.number(), 0, offset, imm));
    }

    /** *(size *)(dst + offset) = src. */
    public ProgramBuilder stx(Size size, Register dst, int offset, Register src) {
        return add(new Instruction(STX | MEM | size.code, dst.number(), src.number(), offset, 0));
    }

    /** An atomic operation on *(size *)(dst + offset) with src; {@code fetch} returns the old value in src. */
    public ProgramBuilder atomic(Size size, AtomicOp op, boolean fetch, Register dst, int offset, Register src) {
        if (size != Size.W && size != Size.DW) {
            throw new IllegalArgumentException("atomic operations are 32 or 64 bits wide, not " + size);
        }
        int imm = op.fetchIsOptional() && fetch ? op.code | FETCH : op.code;
        return add(new Instruction(STX | ATOMIC | size.code, dst.number(), src.number(), offset, imm));
    }

    /** Legacy packet load: r0 = ntoh(*(size *)(skb->data + imm)). */
    public ProgramBuilder ldAbs(Size size, int imm) {
        return add(new Instruction(LD | ABS | size.code, 0, 0, 0, imm));
    }

    /** Legacy packet load: r0 = ntoh(*(size *)(skb->data + src + imm)). */
    public ProgramBuilder ldInd(Size size, Register src, int imm) {
        return add(new Instruction(LD | IND | size.code, 0, src.number(), 0, imm));
    }

    /** Resolves labels and returns the program. Does not check its structure. */
    public Instructions build() {
        List<Instruction> resolved = new ArrayList<>(instructions);
        pendingTargets.forEach((index, label) -> {
            Integer target = labels.get(label);
            if (target == null) {
                throw new IllegalArgumentException("undefined label: " + label);
            }
            Instruction insn = resolved.get(index);
            int displacement = target - slotOfInstruction.get(index) - 1;
            resolved.set(index, insn.isLddw()
                    ? new Instruction(insn.opcode(), insn.dst(), insn.src(), 0, displacement)
                    : insn.withDisplacement(displacement));
        });
        return Instructions.of(resolved);
    }
}
