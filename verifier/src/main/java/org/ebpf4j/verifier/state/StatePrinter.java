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
        List<String> parts = new ArrayList<>();
        for (int r = 0; r < org.ebpf4j.isa.Register.COUNT; r++) {
            RegisterType reg = frame.reg(r);
            if (!(reg instanceof RegisterType.NotInit)) {
                parts.add("R" + r + "=" + register(reg));
            }
        }
        for (int s = 0; s < FrameState.SLOTS; s++) {
            StackSlot slot = frame.slot(s);
            if (slot.equals(StackSlot.EMPTY)) {
                continue;
            }
            String value = slot.isSpill() ? register(slot.spilled()) : slot.typeString();
            parts.add("fp-" + (s + 1) * Limits.REG_SIZE + "=" + value);
        }
        String prefix = frame.frameNo() > 0 ? "frame" + frame.frameNo() + ": " : "";
        return prefix + String.join(" ", parts);
    }

    public static String register(RegisterType reg) {
        return switch (reg) {
            case RegisterType.NotInit n -> "?";
            case RegisterType.ScalarValue s -> scalar(s.value());
            case RegisterType.PtrToCtx c -> "ctx(" + offset(c.off()) + ")";
            case RegisterType.PtrToStack p -> "fp" + (p.frame() > 0 ? "[" + p.frame() + "]" : "") + p.off();
            case RegisterType.ConstPtrToMap m -> "map_ptr()";
            case RegisterType.PtrToMapValue v -> v.kernelName() + "(" + offset(v.off()) + ")";
            case RegisterType.PtrToMapKey k -> "map_key(" + offset(k.off()) + ")";
            case RegisterType.PtrToPacket p -> "pkt(" + offset(p.off()) + ",r=" + p.range() + ")";
            case RegisterType.PtrToPacketMeta p -> "pkt_meta(" + offset(p.off()) + ",r=" + p.range() + ")";
            case RegisterType.PtrToPacketEnd e -> "pkt_end()";
            case RegisterType.PtrToMem m -> m.kernelName() + "(sz=" + m.size() + ")";
            case RegisterType.PtrToFlowKeys k -> "flow_keys(" + offset(k.off()) + ")";
        };
    }

    private static String offset(int off) {
        return off == 0 ? "" : "off=" + off;
    }

    /** A known scalar as its signed value; otherwise the bounds that say something. */
    public static String scalar(Scalar s) {
        if (s.isConst()) {
            long v = s.bits().value();
            return v > -1_000_000 && v < 1_000_000 ? Long.toString(v) : String.format("%#x", v);
        }
        Scalar unknown = Scalar.unknown();
        List<String> parts = new ArrayList<>();
        if (s.smin() != unknown.smin()) parts.add("smin=" + hex(s.smin()));
        if (s.smax() != unknown.smax()) parts.add("smax=" + hex(s.smax()));
        if (s.umin() != unknown.umin()) parts.add("umin=" + hex(s.umin()));
        if (s.umax() != unknown.umax()) parts.add("umax=" + hex(s.umax()));
        if (s.s32min() != unknown.s32min()) parts.add("smin32=" + hex(s.s32min()));
        if (s.s32max() != unknown.s32max()) parts.add("smax32=" + hex(s.s32max()));
        if (s.u32min() != unknown.u32min()) parts.add("umin32=" + hex(s.u32min()));
        if (s.u32max() != unknown.u32max()) parts.add("umax32=" + hex(s.u32max()));
        if (!s.bits().equals(unknown.bits())) {
            parts.add(String.format("var_off=(%#x; %#x)", s.bits().value(), s.bits().mask()));
        }
        return "scalar(" + String.join(",", parts) + ")";
    }

    private static String hex(long v) {
        return v >= 0 && v < 10 ? Long.toString(v) : v < 0 && v > -10 ? Long.toString(v) : String.format("%#x", v);
    }
}
