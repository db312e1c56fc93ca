package org.ebpf4j.verifier.walk;

import java.util.EnumSet;
import java.util.Set;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;
import org.ebpf4j.verifier.VerificationFailure;

/**
 * The helpers a socket filter may call without CAP_BPF and CAP_PERFMON, Linux 6.18: sk_filter_func_proto's own
 * helpers, bpf_sk_base_func_proto's ktime_get_coarse_ns, and the first tier of bpf_base_func_proto (the tiers after
 * it need CAP_BPF, then CAP_PERFMON; bpf_sk_base_func_proto's socket casts need CAP_PERFMON). Any other helper gets
 * no prototype, which the kernel reports as for a helper the program type lacks.
 */
final class UnprivilegedHelpers {
    private UnprivilegedHelpers() {}

    private static final Set<HelperFunction> SOCKET_FILTER = EnumSet.of(
            // sk_filter_func_proto
            HelperFunction.SKB_LOAD_BYTES, HelperFunction.SKB_LOAD_BYTES_RELATIVE, HelperFunction.GET_SOCKET_COOKIE,
            HelperFunction.GET_SOCKET_UID, HelperFunction.PERF_EVENT_OUTPUT,
            // bpf_sk_base_func_proto, before its CAP_PERFMON check
            HelperFunction.KTIME_GET_COARSE_NS,
            // bpf_base_func_proto, before its CAP_BPF check
            HelperFunction.MAP_LOOKUP_ELEM, HelperFunction.MAP_UPDATE_ELEM, HelperFunction.MAP_DELETE_ELEM,
            HelperFunction.MAP_PUSH_ELEM, HelperFunction.MAP_POP_ELEM, HelperFunction.MAP_PEEK_ELEM,
            HelperFunction.MAP_LOOKUP_PERCPU_ELEM, HelperFunction.GET_PRANDOM_U32,
            HelperFunction.GET_SMP_PROCESSOR_ID, HelperFunction.GET_NUMA_NODE_ID, HelperFunction.TAIL_CALL,
            HelperFunction.KTIME_GET_NS, HelperFunction.KTIME_GET_BOOT_NS, HelperFunction.KTIME_GET_TAI_NS,
            HelperFunction.RINGBUF_OUTPUT, HelperFunction.RINGBUF_RESERVE, HelperFunction.RINGBUF_SUBMIT,
            HelperFunction.RINGBUF_DISCARD, HelperFunction.RINGBUF_QUERY, HelperFunction.STRNCMP,
            HelperFunction.STRTOL, HelperFunction.STRTOUL, HelperFunction.GET_CURRENT_PID_TGID,
            HelperFunction.GET_NS_CURRENT_PID_TGID, HelperFunction.GET_CURRENT_UID_GID);

    static void check(ProgramType type, HelperFunction helper, int idx) {
        if (type != ProgramType.SOCKET_FILTER) {
            throw VerificationFailure.unsupported(idx, "helper calls without CAP_BPF from " + type.kernelName(),
                    helper.kernelName() + "#" + helper.value());
        }
        if (!SOCKET_FILTER.contains(helper)) {
            throw VerificationFailure.rule(idx, "program of this type cannot use helper %s#%d", helper.kernelName(),
                    helper.value());
        }
    }
}
