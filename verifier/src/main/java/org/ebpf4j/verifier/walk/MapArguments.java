package org.ebpf4j.verifier.walk;

import org.ebpf4j.spec.MapSpec;
import org.ebpf4j.spec.MapType;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PtrToMapValue;
import org.ebpf4j.verifier.state.RegisterType.PtrToStack;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;
import org.ebpf4j.verifier.state.StackByte;
import org.ebpf4j.verifier.state.StackSlot;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * Helper arguments whose checks read a map's contents or layout: a constant array key on the stack (which lets an
 * array lookup return a value that cannot be NULL), a constant string in a frozen read-only map, and the fields
 * (locks, timers, kptrs) that only a map with BTF can hold.
 */
final class MapArguments {
    private MapArguments() {}

    /**
     * get_constant_map_key: a key that is a known number on the stack (zero bytes, or a spilled constant of
     * exactly the key's size), else -1.
     */
    static long constantKey(VerifierState state, RegisterType reg, int keySize) {
        if (!(reg instanceof PtrToStack ptr) || !ptr.varOff().isConst()) {
            return -1;
        }
        int off = (int) (ptr.off() + ptr.varOff().bits().value());
        StackSlot slot = state.frame(ptr.frame()).slot(FrameState.slotIndex(off));
        int first = Math.floorMod(off, Limits.REG_SIZE);
        int zeros = 0;
        for (int i = first; i < Limits.REG_SIZE && slot.at(i) == StackByte.ZERO; i++) {
            zeros++;
        }
        if (zeros >= keySize) {
            return 0;
        }
        if (!slot.isSpill() || !(slot.spilled() instanceof ScalarValue spilled)) {
            return -1;
        }
        int spilledBytes = 0;
        for (int i = first; i < Limits.REG_SIZE && slot.at(i) == StackByte.SPILL; i++) {
            spilledBytes++;
        }
        if (spilledBytes != keySize || !spilled.value().isConst()) {
            return -1;
        }
        return spilled.value().bits().value();
    }

    /** check_reg_const_str: a NUL-terminated string in a frozen read-only array, at a known offset. */
    static void constantString(int regno, PtrToMapValue ptr, int idx) {
        MapSpec m = ptr.map();
        if (!ObjectAccess.isReadOnly(m)) {
            throw VerificationFailure.rule(idx, "R%d does not point to a readonly map'", regno);
        }
        if (!ptr.varOff().isConst()) {
            throw VerificationFailure.rule(idx, "R%d is not a constant address'", regno);
        }
        if (m.type() != MapType.ARRAY) {
            throw VerificationFailure.rule(idx, "no direct value access support for this map type");
        }
        ObjectAccess.checkRegion(regno, ptr.varOff(), ptr.off(), m.valueSize() - ptr.off(), m.valueSize(), false,
                idx, "map value", "value_size");
        if (m.maxEntries() != 1) {
            throw VerificationFailure.rule(idx, "direct value access on string failed");
        }
        int start = (int) (ptr.off() + ptr.varOff().bits().value());
        byte[] value = ObjectAccess.contents(m);
        for (int i = start; i < m.valueSize(); i++) {
            if (value[i] == 0) {
                return;
            }
        }
        throw VerificationFailure.rule(idx, "string is not zero-terminated");
    }

    /**
     * Locks, timers and kptrs live at offsets the map's BTF gives; without BTF the kernel refuses
     * (check_map_field_pointer, process_spin_lock, process_kptr_func). With BTF they are not modelled yet.
     */
    static void fieldNeedsBtf(int regno, PtrToMapValue value, String what, boolean constantOffsetFirst, int idx) {
        if (constantOffsetFirst && !value.varOff().isConst()) {
            throw VerificationFailure.rule(idx, "R%d doesn't have constant offset. %s has to be at the constant "
                    + "offset", regno, what);
        }
        if (value.map().btfValueTypeId() == 0) {
            throw VerificationFailure.rule(idx, "map '%s' has to have BTF in order to use %s", value.map().name(),
                    what);
        }
        throw VerificationFailure.unsupported(idx, what + " in maps with BTF");
    }
}
