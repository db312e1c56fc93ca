/* An XDP packet parser: Ethernet (with up to two VLAN tags), IPv4 or IPv6, then TCP or UDP; drops UDP to port 53
 * and TCP to port 23, passes the rest, aborts on a truncated header. */
#include "bench.h"

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define XDP_ABORTED 0
#define XDP_DROP 1
#define XDP_PASS 2

static inline __attribute__((always_inline)) __u16 be16(const __u8 *p)
{
    return (__u16)(p[0] << 8 | p[1]);
}

SEC("xdp")
int parser(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    __u8 *p = data + 14;
    if (p > end)
        return XDP_ABORTED;
    __u16 proto = be16(data + 12);
    for (int tags = 0; tags < 2 && (proto == ETH_P_8021Q || proto == ETH_P_8021AD); tags++) {
        if (p + 4 > end)
            return XDP_ABORTED;
        proto = be16(p + 2);
        p += 4;
    }
    __u8 l4;
    if (proto == ETH_P_IP) {
        if (p + 20 > end)
            return XDP_ABORTED;
        __u32 ihl = (p[0] & 0xf) * 4;
        if (ihl < 20)
            return XDP_ABORTED;
        l4 = p[9];
        p += ihl;
    } else if (proto == ETH_P_IPV6) {
        if (p + 40 > end)
            return XDP_ABORTED;
        l4 = p[6];
        p += 40;
    } else {
        return XDP_PASS;
    }
    if (l4 != IPPROTO_TCP && l4 != IPPROTO_UDP)
        return XDP_PASS;
    if (p + 4 > end)
        return XDP_ABORTED;
    __u16 dport = be16(p + 2);
    if ((l4 == IPPROTO_UDP && dport == 53) || (l4 == IPPROTO_TCP && dport == 23))
        return XDP_DROP;
    return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
