package org.ebpf4j.btf.core;

import org.ebpf4j.spec.ProgramSpec.CoreRelocation;

/**
 * How one relocation resolved against a target, before its instruction is patched: what libbpf logs as
 * "patched insn #N ... old -> new" or "substituting insn #N w/ invalid insn".
 *
 * @param relocation the relocation
 * @param localValue the value according to the object's own BTF, which the instruction should already hold
 * @param targetValue the value according to the target, which the instruction gets
 * @param poisoned no target candidate satisfied a relocation whose value cannot default to 0: the instruction is
 *     replaced by a call to {@link CoreRelocator#POISON_HELPER_ID}
 * @param checkLocalValue whether the instruction must hold {@code localValue} (see {@link RelocatedValue})
 * @param localMemorySize for FIELD_BYTE_OFFSET of a whole field: the field's local size in bytes, else 0
 * @param targetMemorySize the same in the target
 * @param sizeChangeUnsafe the sizes differ and the field is neither a pointer nor an unsigned integer on both sides,
 *     so a load or store of it cannot just change width: such an instruction is poisoned
 * @param candidates the target types that matched (their ids), in id order; empty when none did
 */
public record CoreResolution(CoreRelocation relocation, long localValue, long targetValue, boolean poisoned,
        boolean checkLocalValue, int localMemorySize, int targetMemorySize, boolean sizeChangeUnsafe,
        java.util.List<Integer> candidates) {
    public CoreResolution {
        candidates = java.util.List.copyOf(candidates);
    }

    @Override
    public String toString() {
        return "insn " + relocation.slot() + " " + relocation.kind() + " "
                + (poisoned ? "poison" : localValue + " -> " + targetValue);
    }
}
