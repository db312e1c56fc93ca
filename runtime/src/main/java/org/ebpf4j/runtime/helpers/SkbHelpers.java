package org.ebpf4j.runtime.helpers;

import static org.ebpf4j.spec.HelperFlags.BPF_F_HDR_FIELD_MASK;
import static org.ebpf4j.spec.HelperFlags.BPF_F_INVALIDATE_HASH;
import static org.ebpf4j.spec.HelperFlags.BPF_F_IPV6;
import static org.ebpf4j.spec.HelperFlags.BPF_F_MARK_ENFORCE;
import static org.ebpf4j.spec.HelperFlags.BPF_F_MARK_MANGLED_0;
import static org.ebpf4j.spec.HelperFlags.BPF_F_PSEUDO_HDR;
import static org.ebpf4j.spec.HelperFlags.BPF_F_RECOMPUTE_CSUM;

import org.ebpf4j.runtime.context.ContextMemory;
import org.ebpf4j.spec.Errno;

/**
 * The {@code __sk_buff} packet helpers (net/core/filter.c) over the context's packet: offsets count from
 * {@code skb->data} (the Ethernet header for TC, the network header for socket filters), and the packet is the
 * skb's linear data. A test skb is CHECKSUM_NONE, so {@code skb->csum} never changes: BPF_F_RECOMPUTE_CSUM and
 * BPF_F_PSEUDO_HDR are accepted and have nothing to update, as in the kernel's test runs.
 */
final class SkbHelpers {
    private SkbHelpers() {}

    private static final long EFAULT = -Errno.EFAULT.value();
    private static final long EINVAL = -Errno.EINVAL.value();
    /** CSUM_MANGLED_0: how a UDP checksum that computes to 0 is written. */
    private static final int CSUM_MANGLED_0 = 0xffff;

    /** long bpf_skb_load_bytes(skb, u32 offset, void *to, u32 len): -EFAULT with {@code to} zeroed past the packet. */
    static long loadBytes(HelperContext c, long ctx, long offset, long to, long len, long r5) {
        ContextMemory skb = PacketContexts.context(c, ctx, "bpf_skb_load_bytes");
        byte[] bytes = HelperMemory.buffer(len & 0xffff_ffffL, "bpf_skb_load_bytes");
        long at = offset & 0xffff_ffffL;
        if (at > Integer.MAX_VALUE || at + bytes.length > length(skb)) {
            c.memory().write(to, bytes, 0, bytes.length);
            return EFAULT;
        }
        c.memory().read(skb.packetStart() + at, bytes, 0, bytes.length);
        c.memory().write(to, bytes, 0, bytes.length);
        return 0;
    }

    /** long bpf_skb_store_bytes(skb, u32 offset, const void *from, u32 len, u64 flags). */
    static long storeBytes(HelperContext c, long ctx, long offset, long from, long len, long flags) {
        ContextMemory skb = PacketContexts.context(c, ctx, "bpf_skb_store_bytes");
        if ((flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) != 0) {
            return EINVAL;
        }
        long at = offset & 0xffff_ffffL;
        byte[] bytes = HelperMemory.buffer(len & 0xffff_ffffL, "bpf_skb_store_bytes");
        if (at > Integer.MAX_VALUE || at + bytes.length > length(skb)) {
            return EFAULT;
        }
        c.memory().read(from, bytes, 0, bytes.length);
        c.memory().write(skb.packetStart() + at, bytes, 0, bytes.length);
        if ((flags & BPF_F_INVALIDATE_HASH) != 0) {
            skb.setU32("hash", 0);
        }
        return 0;
    }

    /** long bpf_l3_csum_replace(skb, u32 offset, u64 from, u64 to, u64 flags): size 2 or 4, or 0 for a diff. */
    static long l3CsumReplace(HelperContext c, long ctx, long offset, long from, long to, long flags) {
        ContextMemory skb = PacketContexts.context(c, ctx, "bpf_l3_csum_replace");
        if ((flags & ~BPF_F_HDR_FIELD_MASK) != 0) {
            return EINVAL;
        }
        long field = checksumField(skb, offset);
        if (field == 0) {
            return EFAULT;
        }
        int sum = (int) c.memory().load(field, 2);
        int updated;
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (from != 0) {
                    return EINVAL;
                }
                updated = Checksums.replaceByDiff(sum, (int) to);
            }
            case 2 -> updated = Checksums.replace2(sum, (int) from & 0xffff, (int) to & 0xffff);
            case 4 -> updated = Checksums.replace4(sum, (int) from, (int) to);
            default -> {
                return EINVAL;
            }
        }
        c.memory().store(field, 2, updated);
        return 0;
    }

    /**
     * long bpf_l4_csum_replace(skb, u32 offset, u64 from, u64 to, u64 flags): as the L3 form (inet_proto_csum_replace*
     * on a CHECKSUM_NONE skb), plus BPF_F_MARK_MANGLED_0 (a zero checksum stays zero unless BPF_F_MARK_ENFORCE, and a
     * result of zero is written as 0xffff).
     */
    static long l4CsumReplace(HelperContext c, long ctx, long offset, long from, long to, long flags) {
        ContextMemory skb = PacketContexts.context(c, ctx, "bpf_l4_csum_replace");
        if ((flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK
                | BPF_F_IPV6)) != 0) {
            return EINVAL;
        }
        long field = checksumField(skb, offset);
        if (field == 0) {
            return EFAULT;
        }
        boolean mangledZero = (flags & BPF_F_MARK_MANGLED_0) != 0;
        int sum = (int) c.memory().load(field, 2);
        if (mangledZero && (flags & BPF_F_MARK_ENFORCE) == 0 && sum == 0) {
            return 0;
        }
        int updated;
        switch ((int) (flags & BPF_F_HDR_FIELD_MASK)) {
            case 0 -> {
                if (from != 0) {
                    return EINVAL;
                }
                updated = Checksums.replaceByDiff(sum, (int) to);
            }
            // inet_proto_csum_replace2 is replace4 of the zero-extended 16-bit values.
            case 2 -> updated = Checksums.replace4(sum, (int) from & 0xffff, (int) to & 0xffff);
            case 4 -> updated = Checksums.replace4(sum, (int) from, (int) to);
            default -> {
                return EINVAL;
            }
        }
        if (mangledZero && updated == 0) {
            updated = CSUM_MANGLED_0;
        }
        c.memory().store(field, 2, updated);
        return 0;
    }

    /** The checksum's address, or 0 (-EFAULT) for an offset over 0xffff, odd, or past the packet. */
    private static long checksumField(ContextMemory skb, long offset) {
        long at = offset & 0xffff_ffffL;
        if (at > 0xffff || (at & 1) != 0 || at + 2 > length(skb)) {
            return 0;
        }
        return skb.packetStart() + at;
    }

    private static long length(ContextMemory skb) {
        return skb.packetEnd() - skb.packetStart();
    }

    /**
     * {@code s64 bpf_csum_diff(__be32 *from, u32 from_size, __be32 *to, u32 to_size, __wsum seed)}: the checksum of
     * {@code to} minus that of {@code from}, plus the seed, folded to 16 bits. Since Linux 6.13 any sizes are
     * taken (the kernel checks them against the buffers when verifying): no -EINVAL for odd sizes any more.
     */
    static long csumDiff(HelperContext c, long from, long fromSize, long to, long toSize, long seed) {
        long fs = fromSize & 0xffff_ffffL;
        long ts = toSize & 0xffff_ffffL;
        byte[] f = HelperMemory.buffer(fs, "bpf_csum_diff");
        byte[] t = HelperMemory.buffer(ts, "bpf_csum_diff");
        c.memory().read(from, f, 0, f.length);
        c.memory().read(to, t, 0, t.length);
        int sum = (int) seed;
        if (fs != 0 && ts != 0) {
            sum = Checksums.sub(Checksums.partial(t, 0, t.length, sum), Checksums.partial(f, 0, f.length, 0));
        } else if (ts != 0) {
            sum = Checksums.partial(t, 0, t.length, sum);
        } else if (fs != 0) {
            sum = ~Checksums.partial(f, 0, f.length, ~sum);
        }
        return Checksums.from32to16(sum);
    }
}
