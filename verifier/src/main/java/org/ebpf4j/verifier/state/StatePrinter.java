package org.ebpf4j.verifier.state;

import java.util.ArrayList;
import java.util.List;
import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.scalar.Scalar;

/**
 * Registers and stack slots written as the kernel's log writes them (print_verifier_state): {@code R0=3},
 * {@code R1=ctx()}, {@code R10=fp0}, {@code fp-8=mmmmmmmm}, scalars as {@code scalar(smin=...,var_off=...)} listing
 * only what differs from an unknown value.
 */
public final class StatePrinter {
    private StatePrinter() {}

    /** Every initialised register and every written stack slot of a frame. */
    public static String frame(FrameState frame) {
        return frame(frame, -1, 0, FrameState.SLOTS);
    }

    /**
     * The initialised registers among {@code registers} (bit {@code r} for register {@code r}) and stack slot
     * {@code slot} if written ({@code -1} for none): what the kernel prints after an instruction, the registers and
     * slots it marked scratched.
     */
    public static String scratched(FrameState frame, int registers, int slot) {
        return slot < 0 ? frame(frame, registers, 0, 0) : frame(frame, registers, slot, slot + 1);
    }

    private static String frame(FrameState frame, int registers, int fromSlot, int toSlot) {
        List<String> parts = new ArrayList<>();
        for (int r = 0; r < org.ebpf4j.isa.Register.COUNT; r++) {
            RegisterType reg = frame.reg(r);
            if ((registers & (1 << r)) != 0 && !(reg instanceof RegisterType.NotInit)) {
                parts.add("R" + r + "=" + register(reg, frame.frameNo()));
            }
        }
        for (int s = fromSlot; s < toSlot; s++) {
            StackSlot slot = frame.slot(s);
            if (slot.equals(StackSlot.EMPTY)) {
                continue;
            }
            String value = slot.isSpill() ? slot.typeString().substring(0, Limits.REG_SIZE - slot.spillSize())
                    + register(slot.spilled(), frame.frameNo()) : slot.typeString();
            parts.add("fp-" + (s + 1) * Limits.REG_SIZE + "=" + value);
        }
        String prefix = frame.frameNo() > 0 ? "frame" + frame.frameNo() + ": " : "";
        return prefix + String.join(" ", parts);
    }

    public static String register(RegisterType reg) {
        return register(reg, 0);
    }

    /**
     * A register as printed in frame {@code frameNo}'s state: a stack pointer names its frame only where it is
     * another frame's ({@code fp[0]-8} in frame 1).
     */
    public static String register(RegisterType reg, int frameNo) {
        return switch (reg) {
            case RegisterType.NotInit n -> "?";
            case RegisterType.ScalarValue s -> scalar(s.value(), s.id());
            case RegisterType.PtrToCtx c -> "ctx(" + offset(c.off()) + ")";
            case RegisterType.PtrToStack p -> "fp" + (p.frame() != frameNo ? "[" + p.frame() + "]" : "") + p.off();
            case RegisterType.ConstPtrToMap m -> "map_ptr(" + mapText(m.map()) + ")";
            case RegisterType.PtrToMapValue v -> v.kernelName() + "(" + (v.id() != 0 ? "id=" + v.id() + "," : "")
                    + mapText(v.map()) + (v.off() != 0 ? ",off=" + v.off() : "") + ")";
            case RegisterType.PtrToMapKey k -> "map_key(" + offset(k.off()) + ")";
            case RegisterType.PtrToPacket p -> "pkt(" + (p.off() != 0 ? "off=" + p.off() + "," : "") + "r="
                    + p.range() + ")";
            case RegisterType.PtrToPacketMeta p -> "pkt_meta(" + (p.off() != 0 ? "off=" + p.off() + "," : "") + "r="
                    + p.range() + ")";
            case RegisterType.PtrToPacketEnd e -> "pkt_end()";
            case RegisterType.PtrToMem m -> m.kernelName() + "(" + (m.id() != 0 ? "id=" + m.id() + "," : "")
                    + (m.refObjId() != 0 ? "ref_obj_id=" + m.refObjId() + "," : "")
                    + (m.off() != 0 ? "off=" + m.off() + "," : "") + "sz=" + m.size() + ")";
            case RegisterType.PtrToFlowKeys k -> "flow_keys(" + offset(k.off()) + ")";
            case RegisterType.PtrToFunc f -> "func()";
        };
    }

    /** How the kernel names a map in register states: its name where it has one, and its key and value sizes. */
    private static String mapText(org.ebpf4j.spec.MapSpec map) {
        return (map.name().isEmpty() ? "" : "map=" + map.name() + ",") + "ks=" + map.keySize() + ",vs="
                + map.valueSize();
    }

    private static String offset(int off) {
        return off == 0 ? "" : "off=" + off;
    }

    /**
     * A scalar as print_reg_state writes it: a constant as its value, otherwise {@code scalar(...)} with the bounds
     * that say something, equal ones merged ({@code smax=umax=255}), then the known bits.
     */
    public static String scalar(Scalar s) {
        return scalar(s, 0);
    }

    /** A scalar with its id, which the kernel prints first for numbers that are not constants. */
    public static String scalar(Scalar s, int id) {
        if (s.isConst()) {
            return signed(s.bits().value());
        }
        StringBuilder out = new StringBuilder("scalar(");
        if (id != 0) {
            out.append("id=").append(id);
        }
        ScalarRanges.print(s, out);
        if (!s.bits().equals(Scalar.unknown().bits())) {
            out.append(out.length() > "scalar(".length() ? "," : "")
                    .append(String.format("var_off=(%#x; %#x)", s.bits().value(), s.bits().mask()));
        }
        return out.append(')').toString();
    }

    /** verbose_snum: small values in decimal, others in hex. */
    static String signed(long v) {
        return v >= ScalarRanges.SIGNED_DECIMAL_MIN && v <= ScalarRanges.SIGNED_DECIMAL_MAX ? Long.toString(v)
                : String.format("%#x", v);
    }

    /** verbose_unum. */
    static String unsigned(long v) {
        return Long.compareUnsigned(v, ScalarRanges.UNSIGNED_DECIMAL_MAX) <= 0 ? Long.toString(v)
                : String.format("%#x", v);
    }
}
