package org.ebpf4j.btf.core;

import java.util.List;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.OpClass;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.isa.Size;

/**
 * Writes a resolved value into the instruction clang marked: the immediate of an ALU instruction, the offset of a
 * load or store (and its width, where the field's size changed and that is safe), or the 64-bit immediate of an
 * lddw. The instruction must hold the local value first, which catches a relocation record that does not belong to
 * its instruction.
 */
final class InstructionPatcher {
    private InstructionPatcher() {
    }

    /** The instruction(s) replacing {@code insn}: one, or two calls where a poisoned lddw had two slots. */
    static List<Instruction> patch(Instruction insn, CoreResolution resolution) {
        if (resolution.poisoned()) {
            return poison(insn);
        }
        return switch (insn.opClass()) {
            case ALU, ALU64 -> List.of(alu(insn, resolution));
            case LDX, ST, STX -> memory(insn, resolution);
            case LD -> List.of(lddw(insn, resolution));
            case JMP, JMP32 -> throw new RelocationFailure("instruction " + describe(insn)
                    + " is a jump, which CO-RE cannot relocate");
        };
    }

    /**
     * A call to a helper no kernel has: the verifier rejects it only if it can be reached, so code behind a
     * failed existence check still loads. Both halves of an lddw are replaced, as libbpf does, so that no slot
     * is left holding half an instruction.
     */
    static List<Instruction> poison(Instruction insn) {
        Instruction call = new Instruction(Opcode.JMP | Opcode.CALL, 0, Opcode.CALL_HELPER, 0,
                CoreRelocator.POISON_HELPER_ID);
        return insn.isLddw() ? List.of(call, call) : List.of(call);
    }

    private static Instruction alu(Instruction insn, CoreResolution resolution) {
        if (!insn.usesImmediate()) {
            throw new RelocationFailure("instruction " + describe(insn) + " takes a register operand, not an "
                    + "immediate");
        }
        checkLocal(insn.imm32(), resolution, insn, "immediate");
        long value = resolution.targetValue();
        if (value != (int) value && (value >>> 32) != 0) {
            throw new RelocationFailure("value " + value + " does not fit the 32-bit immediate of "
                    + describe(insn));
        }
        return new Instruction(insn.opcode(), insn.dst(), insn.src(), insn.offset(), (int) value);
    }

    private static List<Instruction> memory(Instruction insn, CoreResolution resolution) {
        checkLocal(insn.offset(), resolution, insn, "offset");
        if (resolution.targetValue() < 0 || resolution.targetValue() > Short.MAX_VALUE) {
            throw new RelocationFailure("offset " + resolution.targetValue() + " does not fit the 16-bit offset of "
                    + describe(insn));
        }
        if (resolution.sizeChangeUnsafe()) {
            return poison(insn);
        }
        int opcode = insn.opcode();
        if (resolution.localMemorySize() != resolution.targetMemorySize()) {
            int width = Opcode.sizeBytes(opcode);
            if (width != resolution.localMemorySize()) {
                throw new RelocationFailure("instruction " + describe(insn) + " accesses " + width
                        + " bytes where the local field has " + resolution.localMemorySize());
            }
            Size size = switch (resolution.targetMemorySize()) {
                case 1, 2, 4, 8 -> Size.ofBytes(resolution.targetMemorySize());
                default -> throw new RelocationFailure("the target field has " + resolution.targetMemorySize()
                        + " bytes, which no load or store moves");
            };
            opcode = Opcode.mode(opcode) | size.code | Opcode.opClass(opcode);
        }
        return List.of(new Instruction(opcode, insn.dst(), insn.src(), (int) resolution.targetValue(), insn.imm()));
    }

    private static Instruction lddw(Instruction insn, CoreResolution resolution) {
        if (!insn.isLddw() || insn.src() != Opcode.PSEUDO_NONE || insn.offset() != 0) {
            throw new RelocationFailure("instruction " + describe(insn) + " is not a plain 64-bit immediate load");
        }
        checkLocal(insn.imm(), resolution, insn, "immediate");
        return new Instruction(insn.opcode(), insn.dst(), insn.src(), 0, resolution.targetValue());
    }

    private static void checkLocal(long held, CoreResolution resolution, Instruction insn, String field) {
        if (resolution.checkLocalValue() && held != resolution.localValue()) {
            throw new RelocationFailure("the instruction's " + field + " is " + held + " but the object's BTF gives "
                    + resolution.localValue() + " (" + describe(insn) + ")");
        }
    }

    private static String describe(Instruction insn) {
        OpClass opClass = insn.opClass();
        return String.format("%s opcode 0x%02x", opClass, insn.opcode());
    }
}
