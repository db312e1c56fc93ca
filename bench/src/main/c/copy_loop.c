/* Copies 480 payload bytes to the payload's second half one byte at a time; returns a sum of what it copied. */
#include "bench.h"

#define LEN 480

SEC("xdp")
int copy_loop(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    __u8 *src = data + PAYLOAD_OFF;
    __u8 *dst = data + PAYLOAD_OFF + LEN;
    __u32 sum = 0;
    for (int i = 0; i < LEN; i++, src++, dst++) {
        if (dst + 1 > end)
            break;
        *dst = *src;
        sum += *dst;
    }
    return sum;
}

char _license[] SEC("license") = "GPL";
