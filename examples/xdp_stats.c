// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_stats: ebpf4j's example XDP program, the one the README runs over examples/traffic.pcap.
 *
 * For every frame it parses Ethernet (and one 802.1Q/802.1ad VLAN tag), IPv4 (with options: the header length is
 * IHL * 4), IPv6 (no extension headers), TCP, UDP, ICMP and ICMPv6, and:
 *   - counts packets and bytes per protocol in the array `protocols` (index: enum protocol below);
 *   - counts packets per source address in the LRU hash `sources` (IPv4 addresses as IPv4-mapped IPv6, ::ffff:a.b.c.d);
 *   - drops TCP and UDP segments to the destination port `drop_port` (XDP_DROP, with a trace_printk line);
 *   - aborts (XDP_ABORTED) on frames whose headers are cut short: they say more than the frame holds;
 *   - passes everything else (XDP_PASS).
 * `drop_port` is a `const volatile` global in .rodata: set it before loading (ebpf4j: `--set drop_port=N`; libbpf:
 * `skel->rodata->drop_port = N`). 0 drops nothing.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

enum protocol {
    PROTO_OTHER_L2,   /* neither IPv4, IPv6 nor ARP */
    PROTO_ARP,
    PROTO_TCP,
    PROTO_UDP,
    PROTO_ICMP,
    PROTO_ICMPV6,
    PROTO_OTHER_L4,   /* IPv4 or IPv6 carrying something else */
    PROTO_MALFORMED,  /* headers cut short */
    PROTO_COUNT
};

struct counter {
    __u64 packets;
    __u64 bytes;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, PROTO_COUNT);
    __type(key, __u32);
    __type(value, struct counter);
} protocols SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 1024);
    __type(key, struct in6_addr);
    __type(value, __u64);
} sources SEC(".maps");

const volatile __u16 drop_port = 23;

struct vlan_hdr {
    __be16 tci;
    __be16 encapsulated_proto;
};

static __always_inline void count_protocol(__u32 proto, __u64 bytes)
{
    struct counter *c = bpf_map_lookup_elem(&protocols, &proto);
    if (c) {
        __sync_fetch_and_add(&c->packets, 1);
        __sync_fetch_and_add(&c->bytes, bytes);
    }
}

static __always_inline void count_source(const struct in6_addr *addr)
{
    __u64 one = 1;
    __u64 *n = bpf_map_lookup_elem(&sources, addr);
    if (n)
        __sync_fetch_and_add(n, 1);
    else
        bpf_map_update_elem(&sources, addr, &one, BPF_NOEXIST);
}

/* The verdict for a TCP or UDP header at l4: drop when its destination port is drop_port. */
static __always_inline int ports_verdict(void *l4, void *data_end, __u8 proto, __u64 bytes)
{
    __be16 dest;
    if (proto == IPPROTO_TCP) {
        struct tcphdr *tcp = l4;
        if ((void *)(tcp + 1) > data_end)
            goto malformed;
        dest = tcp->dest;
        count_protocol(PROTO_TCP, bytes);
    } else {
        struct udphdr *udp = l4;
        if ((void *)(udp + 1) > data_end)
            goto malformed;
        dest = udp->dest;
        count_protocol(PROTO_UDP, bytes);
    }
    if (drop_port != 0 && dest == bpf_htons(drop_port)) {
        bpf_printk("xdp_stats: drop proto %d dport %d", proto, drop_port);
        return XDP_DROP;
    }
    return XDP_PASS;
malformed:
    count_protocol(PROTO_MALFORMED, bytes);
    return XDP_ABORTED;
}

SEC("xdp")
int xdp_stats(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    __u64 bytes = data_end - data;
    struct ethhdr *eth = data;
    struct in6_addr src = {};
    void *l3;
    __u16 proto;
    __u8 l4proto;

    if ((void *)(eth + 1) > data_end)
        goto malformed;
    l3 = eth + 1;
    proto = eth->h_proto;
    if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
        struct vlan_hdr *vlan = l3;
        if ((void *)(vlan + 1) > data_end)
            goto malformed;
        proto = vlan->encapsulated_proto;
        l3 = vlan + 1;
    }

    if (proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = l3;
        if ((void *)(ip + 1) > data_end || ip->ihl < 5 || l3 + ip->ihl * 4 > data_end)
            goto malformed;
        src.s6_addr32[2] = bpf_htonl(0xffff);
        src.s6_addr32[3] = ip->saddr;
        count_source(&src);
        l4proto = ip->protocol;
        /* Fragments after the first carry no transport header. */
        if (ip->frag_off & bpf_htons(0x1fff)) {
            count_protocol(PROTO_OTHER_L4, bytes);
            return XDP_PASS;
        }
        if (l4proto == IPPROTO_TCP || l4proto == IPPROTO_UDP)
            return ports_verdict(l3 + ip->ihl * 4, data_end, l4proto, bytes);
        count_protocol(l4proto == IPPROTO_ICMP ? PROTO_ICMP : PROTO_OTHER_L4, bytes);
        return XDP_PASS;
    }
    if (proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = l3;
        if ((void *)(ip6 + 1) > data_end)
            goto malformed;
        src = ip6->saddr;
        count_source(&src);
        l4proto = ip6->nexthdr;
        if (l4proto == IPPROTO_TCP || l4proto == IPPROTO_UDP)
            return ports_verdict(ip6 + 1, data_end, l4proto, bytes);
        count_protocol(l4proto == IPPROTO_ICMPV6 ? PROTO_ICMPV6 : PROTO_OTHER_L4, bytes);
        return XDP_PASS;
    }
    count_protocol(proto == bpf_htons(ETH_P_ARP) ? PROTO_ARP : PROTO_OTHER_L2, bytes);
    return XDP_PASS;

malformed:
    count_protocol(PROTO_MALFORMED, bytes);
    return XDP_ABORTED;
}

char _license[] SEC("license") = "GPL";
