package org.ebpf4j.verifier.walk;

import org.ebpf4j.verifier.Limits;
import org.ebpf4j.verifier.VerificationFailure;
import org.ebpf4j.verifier.scalar.Scalar;
import org.ebpf4j.verifier.scalar.ScalarAlu;
import org.ebpf4j.verifier.state.RegisterType;
import org.ebpf4j.verifier.state.RegisterType.PacketPointer;
import org.ebpf4j.verifier.state.RegisterType.ScalarValue;

/**
 * Loads and stores through PTR_TO_PACKET and PTR_TO_PACKET_META (check_mem_access's packet case and check_packet_access): the bytes
 * must lie within the range a comparison with pkt_end (or, for metadata, with data) proved ({@link PacketRange}). Only the program types with
 * packet pointers get here; stores check {@link ContextRules#packetWrites()} first (may_access_direct_pkt_data).
 */
final class PacketAccess {
    private PacketAccess() {}

    /** What a load of {@code size} bytes from the packet puts in its register: an unknown number of that size. */
    static RegisterType load(ContextRules rules, int regno, PacketPointer ptr, int insnOff, int size,
                             boolean signExtend, int idx) {
        check(rules, regno, ptr, insnOff, size, idx);
        // The kernel sign-extends an unknown narrow value to a range; forgetting it is coarser, never finer.
        return signExtend || size == Limits.REG_SIZE ? ScalarValue.unknown()
                : new ScalarValue(ScalarAlu.truncate(Scalar.unknown(), size));
    }

    /** Checks a store of {@code size} bytes; the packet's contents are not tracked. */
    static void check(ContextRules rules, int regno, PacketPointer ptr, int insnOff, int size, int idx) {
        check(rules, regno, ptr, insnOff, size, false, idx);
    }

    /** As above; helpers whose size argument may be zero pass {@code zeroSizeAllowed}. */
    static void check(ContextRules rules, int regno, PacketPointer ptr, int insnOff, int size,
                      boolean zeroSizeAllowed, int idx) {
        if (rules.strictAlignment() && size > 1) {
            // check_pkt_ptr_alignment adds NET_IP_ALIGN; not modelled.
            throw VerificationFailure.unsupported(idx, "strictly aligned packet accesses");
        }
        // The range counts from the pointer's variable part, so only the fixed offset is checked against it.
        if (ptr.varOff().smin() < 0) {
            throw VerificationFailure.rule(idx, "R%d min value is negative, either use unsigned index or do a "
                    + "if (index >=0) check.", regno);
        }
        long off = (long) ptr.off() + insnOff;
        boolean sizeOk = size > 0 || (size == 0 && zeroSizeAllowed);
        if (off < 0 || !sizeOk || off + size > ptr.range()) {
            throw VerificationFailure.rule(idx, "invalid access to packet, off=%d size=%d, R%d(id=%d,off=%d,r=%d)\n"
                    + "R%d offset is outside of the packet", off, size, regno, ptr.id(), off, ptr.range(), regno);
        }
    }
}
