package org.ebpf4j.verifier.walk;

import org.ebpf4j.isa.Instruction;
import org.ebpf4j.isa.JumpOp;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.state.FrameState;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PacketPointer;
import org.ebpf4j.verifier.state.RegisterType.PtrToPacket;
import org.ebpf4j.verifier.state.RegisterType.PtrToPacketEnd;
import org.ebpf4j.verifier.state.RegisterType.PtrToPacketMeta;
import org.ebpf4j.verifier.state.StackSlot;
import org.ebpf4j.verifier.state.VerifierState;

/**
 * What comparing a packet pointer with pkt_end, or a metadata pointer with data, proves (the kernel's
 * try_match_pkt_pointers and find_good_pkt_pointers): on the path where {@code data + off <= data_end}, the first
 * {@code off} bytes are
 * readable (one more where the comparison is strict), and every packet pointer of the same id, in registers or
 * spilled, shares that range. Signed, 32-bit and equality comparisons prove nothing, as in the kernel, and the
 * other path learns nothing either (the kernel's mark_pkt_end only prunes branches).
 */
final class PacketRange {
    private PacketRange() {}

    static void learn(Instruction insn, JumpOp op, boolean jmp32, RegisterType dst, RegisterType src,
                      VerifierState taken, VerifierState fallThrough) {
        if (insn.usesImmediate() || jmp32) {
            return;
        }
        PacketPointer pkt;
        JumpOp pktFirst;
        if (bounds(dst, src)) {
            pkt = (PacketPointer) dst;
            pktFirst = op;
        } else if (bounds(src, dst)) {
            pkt = (PacketPointer) src;
            pktFirst = mirrored(op);
        } else {
            return;
        }
        // Each case names the path on which pkt' + 1 <= pkt_end (right open) or pkt' <= pkt_end holds.
        switch (pktFirst) {
            case JGT -> grant(fallThrough, pkt, false);
            case JLT -> grant(taken, pkt, true);
            case JGE -> grant(fallThrough, pkt, true);
            case JLE -> grant(taken, pkt, false);
            default -> { }
        }
    }

    /** Whether {@code limit} ends the area {@code ptr} points into: pkt_end for data, data itself for metadata. */
    private static boolean bounds(RegisterType ptr, RegisterType limit) {
        return switch (ptr) {
            case PtrToPacket p -> limit instanceof PtrToPacketEnd;
            // reg_is_init_pkt_pointer: data exactly as loaded from the context.
            case PtrToPacketMeta m -> limit instanceof PtrToPacket d && d.id() == 0 && d.off() == 0
                    && d.varOff().isConst() && d.varOff().bits().value() == 0;
            default -> false;
        };
    }

    /** {@code end OP pkt} as {@code pkt OP' end}. */
    private static JumpOp mirrored(JumpOp op) {
        return switch (op) {
            case JGT -> JumpOp.JLT;
            case JLT -> JumpOp.JGT;
            case JGE -> JumpOp.JLE;
            case JLE -> JumpOp.JGE;
            default -> op;
        };
    }

    private static void grant(VerifierState state, PacketPointer pkt, boolean rightOpen) {
        long umax = pkt.varOff().umax();
        // The kernel learns nothing from off 0 with a strict comparison; neither may ebpf4j. Offsets that could
        // wrap prove nothing.
        if (pkt.off() < 0 || (pkt.off() == 0 && rightOpen) || Long.compareUnsigned(umax, Limits.MAX_PACKET_OFF) > 0
                || umax + pkt.off() > Limits.MAX_PACKET_OFF) {
            return;
        }
        int range = pkt.off() + (rightOpen ? 1 : 0);
        for (int f = 0; f < state.frameCount(); f++) {
            FrameState frame = state.frame(f);
            for (int r = 0; r < frame.regs().length; r++) {
                frame.setReg(r, widened(frame.reg(r), pkt, range));
            }
            for (int s = 0; s < FrameState.SLOTS; s++) {
                StackSlot slot = frame.slot(s);
                if (slot.isSpill()) {
                    RegisterType spilled = widened(slot.spilled(), pkt, range);
                    if (spilled != slot.spilled()) {
                        frame.setSlot(s, slot.spill(spilled, slot.spillSize()));
                    }
                }
            }
        }
    }

    /** {@code reg} with the new range where it is a pointer of the same type and id as the one compared. */
    private static RegisterType widened(RegisterType reg, PacketPointer compared, int range) {
        if (reg instanceof PacketPointer p && p.getClass() == compared.getClass() && p.id() == compared.id()
                && p.range() < range) {
            return p.with(p.off(), range);
        }
        return reg;
    }
}
