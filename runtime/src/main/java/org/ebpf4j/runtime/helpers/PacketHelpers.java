package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFunction.CSUM_DIFF;
import static org.ebpf4j.spec.HelperFunction.L3_CSUM_REPLACE;
import static org.ebpf4j.spec.HelperFunction.L4_CSUM_REPLACE;
import static org.ebpf4j.spec.HelperFunction.REDIRECT;
import static org.ebpf4j.spec.HelperFunction.REDIRECT_MAP;
import static org.ebpf4j.spec.HelperFunction.SKB_LOAD_BYTES;
import static org.ebpf4j.spec.HelperFunction.SKB_STORE_BYTES;
import static org.ebpf4j.spec.HelperFunction.XDP_ADJUST_HEAD;
import static org.ebpf4j.spec.HelperFunction.XDP_ADJUST_META;
import static org.ebpf4j.spec.HelperFunction.XDP_ADJUST_TAIL;

import org.ebpf4j.runtime.memory.MemoryAccessException;
import org.ebpf4j.runtime.memory.Pointer;
import org.ebpf4j.spec.HelperFunction;
import org.ebpf4j.spec.ProgramType;

/**
 * The packet helpers, registered per program type as the kernel's {@code *_func_proto} tables offer them
 * (net/core/filter.c): XDP gets the head, tail and metadata moves, {@code bpf_redirect} (XDP's version),
 * {@code bpf_redirect_map} and {@code bpf_csum_diff}; TC classifiers and actions get {@code bpf_skb_load_bytes},
 * {@code bpf_skb_store_bytes}, the checksum replacements, {@code bpf_redirect} (tc's version) and
 * {@code bpf_csum_diff}; socket filters get {@code bpf_skb_load_bytes}. A helper a type lacks stays unknown, as the
 * kernel's verifier knows it not ("unknown func").
 */
public final class PacketHelpers {
    private PacketHelpers() {}

    public static HelperRegistry register(HelperRegistry helpers, ProgramType type) {
        return switch (type) {
            case XDP -> with(with(with(with(with(with(helpers,
                    XDP_ADJUST_HEAD, (c, ctx, offset, r3, r4, r5) ->
                            PacketContexts.xdp(c, ctx, XDP_ADJUST_HEAD.kernelName()).adjustHead((int) offset)),
                    XDP_ADJUST_TAIL, (c, ctx, offset, r3, r4, r5) ->
                            PacketContexts.xdp(c, ctx, XDP_ADJUST_TAIL.kernelName()).adjustTail((int) offset)),
                    XDP_ADJUST_META, (c, ctx, offset, r3, r4, r5) ->
                            PacketContexts.xdp(c, ctx, XDP_ADJUST_META.kernelName()).adjustMeta((int) offset)),
                    REDIRECT, (c, ifindex, flags, r3, r4, r5) -> Redirects.xdpRedirect(flags)),
                    REDIRECT_MAP, Redirects::redirectMap),
                    CSUM_DIFF, SkbHelpers::csumDiff);
            case SCHED_CLS, SCHED_ACT -> with(with(with(with(with(with(helpers,
                    SKB_LOAD_BYTES, SkbHelpers::loadBytes),
                    SKB_STORE_BYTES, SkbHelpers::storeBytes),
                    L3_CSUM_REPLACE, SkbHelpers::l3CsumReplace),
                    L4_CSUM_REPLACE, SkbHelpers::l4CsumReplace),
                    REDIRECT, (c, ifindex, flags, r3, r4, r5) -> Redirects.tcRedirect(flags)),
                    CSUM_DIFF, SkbHelpers::csumDiff);
            case SOCKET_FILTER -> with(helpers, SKB_LOAD_BYTES, SkbHelpers::loadBytes);
            default -> helpers;
        };
    }

    private static HelperRegistry with(HelperRegistry helpers, HelperFunction function, Helper helper) {
        return helpers.with(function.value(), function.kernelName(), helper);
    }

    /** bpf_redirect and bpf_redirect_map: only the return values, since a test run sends nothing anywhere. */
    static final class Redirects {
        private Redirects() {}

        private static final long XDP_ABORTED = 0;
        private static final long XDP_REDIRECT = 4;
        private static final long TC_ACT_SHOT = 2;
        private static final long TC_ACT_REDIRECT = 7;
        private static final long BPF_F_INGRESS = 1;

        /** bpf_xdp_redirect: XDP_REDIRECT, or XDP_ABORTED for any flag. */
        static long xdpRedirect(long flags) {
            return flags != 0 ? XDP_ABORTED : XDP_REDIRECT;
        }

        /** tc's bpf_redirect: TC_ACT_REDIRECT, or TC_ACT_SHOT for a flag other than BPF_F_INGRESS. */
        static long tcRedirect(long flags) {
            return (flags & ~BPF_F_INGRESS) != 0 ? TC_ACT_SHOT : TC_ACT_REDIRECT;
        }

        /**
         * bpf_redirect_map needs a DEVMAP, DEVMAP_HASH, CPUMAP or XSKMAP, and the JVM runtime has none of them: the
         * call stops the program (the kernel's verifier refuses it for any other map type).
         */
        static long redirectMap(HelperContext c, long map, long key, long flags, long r4, long r5) {
            throw new MemoryAccessException("bpf_redirect_map: the JVM runtime has no DEVMAP, DEVMAP_HASH, CPUMAP"
                    + " or XSKMAP to redirect through (map handle " + Pointer.format(map)
                    + ")");
        }
    }
}
