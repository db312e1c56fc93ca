package org.ebpf4j.elf.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramSpec.MapReference;

/**
 * Writes map fds into {@code lddw} instructions, as a backend does just before {@code BPF_PROG_LOAD}: the fd goes
 * into the first half's imm; for a map value reference ({@code src_reg} 2) the second half's imm keeps the offset.
 */
final class MapFdPatcher {
    /** {@code BPF_PSEUDO_MAP_FD} and {@code BPF_PSEUDO_MAP_VALUE}: the lddw forms that name a map. */
    static final int PSEUDO_MAP_FD = 1;
    static final int PSEUDO_MAP_VALUE = 2;

    private MapFdPatcher() {}

    /**
     * The program with every {@link MapReference} resolved to the fd of its map. Checks what the loader promises
     * about each referenced lddw (the right {@code src_reg}, imm 0, the offset in the upper half) and fails naming
     * the slot otherwise: that would be a loader bug.
     */
    static Instructions patch(ProgramSpec program, KernelMaps maps) {
        List<Instruction> list = new ArrayList<>(program.instructions().asList());
        Instructions original = program.instructions();
        for (MapReference ref : program.mapReferences()) {
            int index = indexOfSlot(original, ref.slot());
            Instruction lddw = list.get(index);
            int expectedSrc = ref.value() ? PSEUDO_MAP_VALUE : PSEUDO_MAP_FD;
            long expectedImm = ref.value() ? (long) ref.offset() << 32 : 0;
            if (!lddw.isLddw() || lddw.src() != expectedSrc || lddw.imm() != expectedImm) {
                throw new AssertionError(program.name() + ": slot " + ref.slot() + " should be an lddw with src_reg "
                        + expectedSrc + " and imm 0x" + Long.toHexString(expectedImm) + " for " + ref
                        + ", but is " + lddw);
            }
            list.set(index, withLowImm(lddw, maps.fd(ref.mapName()).value()));
        }
        return Instructions.of(list);
    }

    /**
     * For programs that are already relocated and carry something else than an fd in the low imm of their map
     * lddws (the verifier corpus: an index into its map list): replaces it by {@code fdOf(imm)}.
     */
    static Instructions patchEachMapLddw(Instructions program, IntUnaryOperator fdOf) {
        List<Instruction> list = new ArrayList<>(program.asList());
        for (int i = 0; i < list.size(); i++) {
            Instruction insn = list.get(i);
            if (insn.isLddw() && (insn.src() == PSEUDO_MAP_FD || insn.src() == PSEUDO_MAP_VALUE)) {
                list.set(i, withLowImm(insn, fdOf.applyAsInt(insn.imm32())));
            }
        }
        return Instructions.of(list);
    }

    private static Instruction withLowImm(Instruction lddw, int low) {
        long imm = (lddw.imm() & 0xffff_ffff_0000_0000L) | (low & 0xffff_ffffL);
        return new Instruction(lddw.opcode(), lddw.dst(), lddw.src(), lddw.offset(), imm);
    }

    private static int indexOfSlot(Instructions program, int slot) {
        if (!program.startsInstruction(slot)) {
            throw new AssertionError("map reference at slot " + slot + ", where no instruction starts");
        }
        int index = 0;
        for (int s = 0; s < slot; index++) {
            s += program.get(index).slots();
        }
        return index;
    }
}
