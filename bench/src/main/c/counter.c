/* Counts packets per IPv4 source address in a hash map; returns the count after this packet. */
#include "bench.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

SEC("xdp")
int counter(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    if (data + 34 > end)
        return 0;
    __u32 source = *(__u32 *)(data + 26);
    __u64 *count = bpf_map_lookup_elem(&counts, &source);
    if (count)
        return (__u32)__sync_add_and_fetch(count, 1);
    __u64 one = 1;
    bpf_map_update_elem(&counts, &source, &one, BPF_ANY);
    return 1;
}

char _license[] SEC("license") = "GPL";
