package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.state.RegisterType;

/**
 * check_cond_jmp_op without CAP_PERFMON: comparing a pointer would tell the program something about a kernel
 * address. A pointer in the source register is refused before anything else; a pointer in the destination only
 * where the comparison is not decided by the pointer's type (a non-NULL pointer against zero), is no NULL check of
 * a maybe-NULL pointer, and is no comparison that proves a packet range. (Without CAP_BPF no program type reaches
 * packet pointers today: cgroup skb programs need it for __sk_buff's data.)
 */
final class PointerComparison {
    private PointerComparison() {}

    /** Before the branch is predicted: the source operand. */
    static void checkSource(Capabilities caps, RegisterType dst, RegisterType src, int srcReg, int idx) {
        if (!caps.privileged() && src.isPointer() && !(dst instanceof RegisterType.PacketPointer
                && src instanceof RegisterType.PacketPointer)) {
            throw VerificationFailure.rule(idx, "R%d pointer comparison prohibited", srcReg);
        }
    }

    /** After the prediction left both paths open and the comparison was no NULL check: the destination. */
    static void checkDestination(Capabilities caps, RegisterType dst, RegisterType src, boolean jmp32, int dstReg,
                                 int idx) {
        if (!caps.privileged() && dst.isPointer() && !(!jmp32 && rangePair(dst, src))) {
            throw VerificationFailure.rule(idx, "R%d pointer comparison prohibited", dstReg);
        }
    }

    /** The pairs try_match_pkt_pointers learns a range from: packet data against its end, metadata against data. */
    private static boolean rangePair(RegisterType a, RegisterType b) {
        return pair(a, b) || pair(b, a);
    }

    private static boolean pair(RegisterType a, RegisterType b) {
        return a instanceof RegisterType.PtrToPacket
                && (b instanceof RegisterType.PtrToPacketEnd || b instanceof RegisterType.PtrToPacketMeta);
    }
}
