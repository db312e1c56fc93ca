/* floor(log2(x)) by shifting, for 64 words of the payload scrambled so that most have their top bits set. */
#include "bench.h"

SEC("xdp")
int log2_loop(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    __u32 sum = 0;
    for (int i = 0; i < 64; i++) {
        __u8 *p = data + PAYLOAD_OFF + i * 4;
        if (p + 4 > end)
            break;
        __u32 x = (*(__u32 *)p * 2654435761u) | 1;
        __u32 log = 0;
        for (int b = 0; b < 32 && x > 1; b++) {
            x >>= 1;
            log++;
        }
        sum += log;
    }
    return sum;
}

char _license[] SEC("license") = "GPL";
