package org.ebpf4j.verifier.cfg;

import java.util.List;
import org.ebpf4j.isa.Mode;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * The structural part of the kernel's resolve_pseudo_ldimm64, its pass over every instruction before the
 * control-flow check: every lddw has a well-formed second half and a known kind of immediate, loads use no
 * reserved field, every opcode is one of the instruction set's ({@link OpcodeTable}), and every map reference names
 * a map (an index into the options' list, where the kernel has a file descriptor) whose value, where the lddw
 * points into it, can be addressed directly.
 */
public final class InstructionSanityCheck {
    private InstructionSanityCheck() {}

    public static void check(Slot[] slots, List<MapSpec> maps) {
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
            boolean mapValue = slot.src() == Opcode.PSEUDO_MAP_VALUE || slot.src() == Opcode.PSEUDO_MAP_IDX_VALUE;
            if (mapHandle || mapValue) {
                checkMapReference(i, slot.imm(), mapValue, high.imm(), maps);
            }
            i++;
        }
    }

    /** The map lookup and the direct value check of resolve_pseudo_ldimm64. */
    private static void checkMapReference(int i, int index, boolean value, int offset, List<MapSpec> maps) {
        if (index < 0 || index >= maps.size()) {
            throw VerificationFailure.rule(i, "fd %d is not pointing to valid bpf_map", index);
        }
        if (!value) {
            return;
        }
        MapSpec map = maps.get(index);
        long off = Integer.toUnsignedLong(offset);
        if (off >= Limits.MAX_VAR_OFF) {
            throw VerificationFailure.rule(i, "direct value offset of %d is not allowed", off);
        }
        // Only arrays have map_direct_value_addr, and only single-element ones answer it.
        if (map.type() != MapType.ARRAY) {
            throw VerificationFailure.rule(i, "no direct value access support for this map type");
        }
        if (map.maxEntries() != 1 || off >= map.valueSize()) {
            throw VerificationFailure.rule(i, "invalid access to map value pointer, value_size=%d off=%d",
                    map.valueSize(), off);
        }
    }
}
