/* 1024 steps of xorshift64 seeded from the payload, summed. */
#include "bench.h"

SEC("xdp")
int xorshift(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    if (data + 56 > end)
        return 0;
    __u64 x = *(__u64 *)(data + 48) | 1;
    __u64 acc = 0;
    for (int i = 0; i < 1024; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc += x;
    }
    return (__u32)(acc ^ (acc >> 32));
}

char _license[] SEC("license") = "GPL";
