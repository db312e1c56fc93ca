package org.ebpf4j.linux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.ebpf4j.isa.BpfException;
import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.Instructions;
import org.ebpf4j.isa.Opcode;
import org.ebpf4j.spec.ProgramSpec;
import org.ebpf4j.spec.ProgramSpec.MapReference;

/**
 * Writes map fds into {@code lddw} instructions just before {@code BPF_PROG_LOAD}: the fd goes into the first
 * half's imm; for a map value reference ({@code src_reg} {@link Opcode#PSEUDO_MAP_VALUE}) the second half's imm keeps
 * the offset into the value.
 */
final class MapFdPatcher {
    private MapFdPatcher() {}

    /**
     * {@code instructions} (the program's, possibly CO-RE-relocated: slots unchanged) with every reference of
     * {@code program} resolved through {@code fdOf}. Each referenced slot must be the lddw the loader promised
     * ({@code src_reg} 1 or 2, imm 0 and the offset in the upper half); anything else is a loader bug.
     */
    static Instructions patch(ProgramSpec program, Instructions instructions, ToIntFunction<String> fdOf) {
        List<Instruction> list = new ArrayList<>(instructions.asList());
        for (MapReference ref : program.mapReferences()) {
            int index = indexOfSlot(program, instructions, ref.slot());
            Instruction lddw = list.get(index);
            int expectedSrc = ref.value() ? Opcode.PSEUDO_MAP_VALUE : Opcode.PSEUDO_MAP_FD;
            long expectedImm = ref.value() ? (long) ref.offset() << 32 : 0;
            if (!lddw.isLddw() || lddw.src() != expectedSrc || lddw.imm() != expectedImm) {
                throw new BpfException("program '" + program.name() + "': slot " + ref.slot() + " should be an lddw"
                        + " with src_reg " + expectedSrc + " and imm 0x" + Long.toHexString(expectedImm) + " for "
                        + ref + ", but is " + lddw);
            }
            list.set(index, withLowImm(lddw, fdOf.applyAsInt(ref.mapName())));
        }
        return Instructions.of(list);
    }

    private static Instruction withLowImm(Instruction lddw, int low) {
        long imm = (lddw.imm() & 0xffff_ffff_0000_0000L) | (low & 0xffff_ffffL);
        return new Instruction(lddw.opcode(), lddw.dst(), lddw.src(), lddw.offset(), imm);
    }

    private static int indexOfSlot(ProgramSpec program, Instructions instructions, int slot) {
        if (!instructions.startsInstruction(slot)) {
            throw new BpfException("program '" + program.name() + "': map reference at slot " + slot
                    + ", where no instruction starts");
        }
        int index = 0;
        for (int s = 0; s < slot; index++) {
            s += instructions.get(index).slots();
        }
        return index;
    }
}
