package org.ebpf4j.verifier.cfg;

import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * The structural part of the kernel's resolve_pseudo_ldimm64, its pass over every instruction before the
 * control-flow check: every lddw has a well-formed second half and a known kind of immediate, loads use no
 * reserved field, and every opcode is one of the instruction set's ({@link OpcodeTable}). Resolving map references
 * is the walk's business.
 */
public final class InstructionSanityCheck {
    private InstructionSanityCheck() {}

    public static void check(Slot[] slots) {
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[i];
            if (slot.opClass() == Opcode.LDX) {
                Mode mode = Mode.of(slot.code());
                if ((mode != Mode.MEM && mode != Mode.MEMSX) || slot.imm() != 0) {
                    throw VerificationFailure.rule(i, "BPF_LDX uses reserved fields");
                }
            }
            if (!slot.isLddw()) {
                if (!OpcodeTable.isKnown(slot.code())) {
                    throw VerificationFailure.rule(i, "unknown opcode %02x", slot.code());
                }
                continue;
            }
            if (i == slots.length - 1) {
                throw VerificationFailure.rule(i, "invalid bpf_ld_imm64 insn");
            }
            Slot high = slots[i + 1];
            if (high.code() != 0 || high.dst() != 0 || high.src() != 0 || high.off() != 0) {
                throw VerificationFailure.rule(i, "invalid bpf_ld_imm64 insn");
            }
            if (slot.src() > Opcode.PSEUDO_MAP_IDX_VALUE) {
                throw VerificationFailure.rule(i, "unrecognized bpf_ld_imm64 insn");
            }
            boolean mapHandle = slot.src() == Opcode.PSEUDO_MAP_FD || slot.src() == Opcode.PSEUDO_MAP_IDX;
            if (mapHandle && high.imm() != 0) {
                throw VerificationFailure.rule(i, "unrecognized bpf_ld_imm64 insn");
            }
            i++;
        }
    }
}
