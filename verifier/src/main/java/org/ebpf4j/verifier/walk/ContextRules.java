package org.ebpf4j.verifier.walk;

import java.util.Optional;
import java.util.Set;
import org.ebpf4j.spec.AttachType;
import org.ebpf4j.spec.ProgramLoadFlags;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.spec.context.ContextLayout;
import org.ebpf4j.spec.context.ProgramContexts;
import org.ebpf4j.spec.context.ReturnRange;
import org.ebpf4j.spec.context.TracepointRecord;
import org.ebpf4j.verifier.VerifierOptions;

/**
 * The context of the program being verified: the shared layout ({@link ProgramContexts}) plus what the kernel's
 * is_valid_access for the type decides beyond it: whether reads may be narrower than a field, and fields the
 * attach type takes away.
 *
 * @param layout the context struct, empty for program types whose context is not described yet
 * @param narrowReads whether 1- and 2-byte reads of 4-byte fields are allowed (bpf_ctx_narrow_access_ok; xdp_md
 *                    allows only whole fields)
 * @param refusedFields fields the layout lists but this load refuses
 * @param unwritableFields writable fields of the layout that this load may only read
 * @param strictAlignment BPF_F_STRICT_ALIGNMENT: context accesses must be aligned to their size
 * @param returnRange what the main program may return (check_return_code), empty when anything goes
 * @param negativeReads whether reads at negative offsets aligned to their size pass (tracepoints:
 *                      {@link TracepointRecord#NEGATIVE_OFFSETS_READABLE})
 * @param packetWrites whether the program may write the packet through its pointers (may_access_direct_pkt_data:
 *                     cgroup skb, lwt in and out, flow dissector and sock_ops programs read it only)
 */
public record ContextRules(Optional<ContextLayout> layout, boolean narrowReads, Set<String> refusedFields,
                           Set<String> unwritableFields, boolean strictAlignment, Optional<ReturnRange> returnRange, boolean negativeReads,
                           boolean packetWrites) {
    /** xdp_md's egress_ifindex exists only for programs attached to a device map (xdp_is_valid_access). */
    private static final String XDP_EGRESS_IFINDEX = "egress_ifindex";

    private static final Set<String> CGROUP_SKB_PACKET_FIELDS = Set.of("data", "data_end");
    private static final String CGROUP_SKB_TSTAMP = "tstamp";

    /** may_access_direct_pkt_data: program types that read their packet but may not write it. */
    private static final Set<ProgramType> READ_ONLY_PACKETS = Set.of(ProgramType.CGROUP_SKB, ProgramType.LWT_IN,
            ProgramType.LWT_OUT, ProgramType.FLOW_DISSECTOR, ProgramType.SOCK_OPS);

    public ContextRules {
        refusedFields = Set.copyOf(refusedFields);
        unwritableFields = Set.copyOf(unwritableFields);
    }

    public static ContextRules of(VerifierOptions options) {
        boolean strict = (options.programFlags() & ProgramLoadFlags.BPF_F_STRICT_ALIGNMENT) != 0;
        Optional<ProgramType> type = ProgramType.of(options.programType());
        Optional<ContextLayout> layout = type.flatMap(t -> ProgramContexts.of(t, options.expectedAttachType()));
        boolean xdp = type.orElse(null) == ProgramType.XDP;
        Set<String> refused = xdp && options.expectedAttachType() != AttachType.XDP_DEVMAP.value()
                ? Set.of(XDP_EGRESS_IFINDEX) : Set.of();
        Set<String> unwritable = Set.of();
        if (!options.privileged() && type.orElse(null) == ProgramType.CGROUP_SKB) {
            // cg_skb_is_valid_access: direct packet access and tstamp writes need CAP_BPF.
            refused = CGROUP_SKB_PACKET_FIELDS;
            unwritable = Set.of(CGROUP_SKB_TSTAMP);
        }
        Optional<ReturnRange> range = type.flatMap(t -> ProgramContexts.returnRange(t, options.expectedAttachType()));
        boolean negativeReads = type.orElse(null) == ProgramType.TRACEPOINT
                && TracepointRecord.NEGATIVE_OFFSETS_READABLE;
        boolean packetWrites = type.map(t -> !READ_ONLY_PACKETS.contains(t)).orElse(true);
        return new ContextRules(layout, !xdp, refused, unwritable, strict, range, negativeReads, packetWrites);
    }
}
