package org.ebpf4j.spec.helper;

import java.util.EnumSet;
import java.util.Set;
import org.ebpf4j.spec.HelperFunction;

/**
 * The helpers that may change a program's packet data (Linux 6.18's {@code bpf_helper_changes_pkt_data}): they may
 * move, grow, shrink or re-linearise the packet, so a packet pointer taken before the call need not point into it
 * afterwards. The verifier turns such pointers into numbers; the JIT looks up the packet again.
 */
public final class PacketDataHelpers {
    private PacketDataHelpers() {}

    private static final Set<HelperFunction> CHANGING = EnumSet.of(HelperFunction.CLONE_REDIRECT,
            HelperFunction.L3_CSUM_REPLACE, HelperFunction.L4_CSUM_REPLACE, HelperFunction.LWT_PUSH_ENCAP,
            HelperFunction.LWT_SEG6_ACTION, HelperFunction.LWT_SEG6_ADJUST_SRH, HelperFunction.LWT_SEG6_STORE_BYTES,
            HelperFunction.MSG_POP_DATA, HelperFunction.MSG_PULL_DATA, HelperFunction.MSG_PUSH_DATA,
            HelperFunction.SKB_ADJUST_ROOM, HelperFunction.SKB_CHANGE_HEAD, HelperFunction.SKB_CHANGE_PROTO,
            HelperFunction.SKB_CHANGE_TAIL, HelperFunction.SKB_PULL_DATA, HelperFunction.SKB_STORE_BYTES,
            HelperFunction.SKB_VLAN_POP, HelperFunction.SKB_VLAN_PUSH, HelperFunction.STORE_HDR_OPT,
            HelperFunction.XDP_ADJUST_HEAD, HelperFunction.XDP_ADJUST_META, HelperFunction.XDP_ADJUST_TAIL);

    public static boolean changesPacketData(HelperFunction helper) {
        return CHANGING.contains(helper);
    }

    /** As {@link #changesPacketData(HelperFunction)} for a call's immediate; false for ids Linux does not define. */
    public static boolean changesPacketData(int id) {
        return HelperFunction.of(id).map(PacketDataHelpers::changesPacketData).orElse(false);
    }
}
