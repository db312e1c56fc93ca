package org.ebpf4j.runtime;

/**
 * Gives the {@code lddw} instructions that refer to maps their run-time value at load: BPF_PSEUDO_MAP_FD and
 * BPF_PSEUDO_MAP_IDX become the map's handle, BPF_PSEUDO_MAP_VALUE and BPF_PSEUDO_MAP_IDX_VALUE a pointer into its
 * value. The engines then treat them as plain constants, so map references cost nothing at run time.
 */
@FunctionalInterface
public interface MapResolver {
    /**
     * The value of the lddw at {@code slot}.
     *
     * @param pseudo its src_reg (BPF_PSEUDO_*)
     * @param imm its 64-bit immediate: the map's fd or index in the low half, the value offset in the high half
     * @throws org.ebpf4j.isa.InvalidProgramException when the reference cannot be resolved
     */
    long resolve(int slot, int pseudo, long imm);
}
