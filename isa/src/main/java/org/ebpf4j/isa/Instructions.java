package org.ebpf4j.isa;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * An immutable instruction sequence, addressed by slot as the kernel addresses it: {@code lddw} takes two slots
 * and jump displacements count slots.
 *
 * <p>Building or decoding a sequence does not check it; {@link StructureCheck#check} does (the runtime and the
 * verifier call it before anything runs).
 */
public final class Instructions implements Iterable<Instruction> {
    private final List<Instruction> list;
    /** The instruction that starts at each slot; null for the second slot of an lddw. */
    private final Instruction[] bySlot;
    private final int[] slotOfIndex;

    private Instructions(List<Instruction> list) {
        this.list = list;
        int slots = 0;
        for (Instruction insn : list) {
            slots += insn.slots();
        }
        this.bySlot = new Instruction[slots];
        this.slotOfIndex = new int[list.size()];
        int slot = 0;
        for (int i = 0; i < list.size(); i++) {
            slotOfIndex[i] = slot;
            bySlot[slot] = list.get(i);
            slot += list.get(i).slots();
        }
    }

    public static Instructions of(List<Instruction> instructions) {
        return new Instructions(List.copyOf(instructions));
    }

    public static Instructions of(Instruction... instructions) {
        return of(Arrays.asList(instructions));
    }

    /** Decodes raw little-endian bytes; see {@link #decode(byte[], ByteOrder)}. */
    public static Instructions decode(byte[] code) {
        return decode(code, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Decodes raw instructions in the given byte order (big-endian objects swap the register nibbles as well as
     * the multi-byte fields). Fails on a length that is not a whole number of slots and on an lddw without its
     * second half; all other rules are {@link StructureCheck}'s.
     */
    public static Instructions decode(byte[] code, ByteOrder order) {
        if (code.length % Instruction.SIZE != 0) {
            throw new InvalidProgramException(-1, "program length " + code.length
                    + " bytes is not a multiple of " + Instruction.SIZE);
        }
        ByteBuffer in = ByteBuffer.wrap(code).order(order);
        boolean little = order == ByteOrder.LITTLE_ENDIAN;
        int slots = code.length / Instruction.SIZE;
        List<Instruction> out = new ArrayList<>(slots);
        for (int slot = 0; slot < slots; slot++) {
            int opcode = in.get() & 0xff;
            int regs = in.get() & 0xff;
            int dst = little ? regs & 0xf : regs >>> 4;
            int src = little ? regs >>> 4 : regs & 0xf;
            int offset = in.getShort();
            int imm = in.getInt();
            if (opcode != Opcode.LDDW) {
                out.add(new Instruction(opcode, dst, src, offset, imm));
                continue;
            }
            if (slot + 1 >= slots) {
                throw new InvalidProgramException(slot, "lddw is missing its second half");
            }
            int opcode2 = in.get() & 0xff;
            int regs2 = in.get() & 0xff;
            int offset2 = in.getShort();
            long high = in.getInt();
            if (opcode2 != 0 || regs2 != 0 || offset2 != 0) {
                throw new InvalidProgramException(slot + 1,
                        "second half of lddw must have opcode, registers and offset 0");
            }
            out.add(new Instruction(opcode, dst, src, offset, (high << 32) | (imm & 0xffff_ffffL)));
            slot++;
        }
        return new Instructions(Collections.unmodifiableList(out));
    }

    /** Encodes the sequence in the given byte order. */
    public byte[] encode(ByteOrder order) {
        ByteBuffer out = ByteBuffer.allocate(bySlot.length * Instruction.SIZE).order(order);
        for (Instruction insn : list) {
            insn.encodeTo(out);
        }
        return out.array();
    }

    public byte[] encode() {
        return encode(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of 8-byte slots. */
    public int slotCount() {
        return bySlot.length;
    }

    /** Number of instructions (an lddw counts once). */
    public int size() {
        return list.size();
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** The instruction that starts at a slot. */
    public Instruction at(int slot) {
        Instruction insn = slot >= 0 && slot < bySlot.length ? bySlot[slot] : null;
        if (insn == null) {
            throw new IndexOutOfBoundsException("no instruction starts at slot " + slot);
        }
        return insn;
    }

    /** True when an instruction starts at this slot (false for the second half of an lddw and out of range). */
    public boolean startsInstruction(int slot) {
        return slot >= 0 && slot < bySlot.length && bySlot[slot] != null;
    }

    /** The i-th instruction, counting an lddw once. */
    public Instruction get(int index) {
        return list.get(index);
    }

    /** The slot at which the i-th instruction starts. */
    public int slotOf(int index) {
        return slotOfIndex[index];
    }

    public List<Instruction> asList() {
        return list;
    }

    @Override
    public Iterator<Instruction> iterator() {
        return list.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instructions other && list.equals(other.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }

    @Override
    public String toString() {
        return "Instructions" + list;
    }
}
