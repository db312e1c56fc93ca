/* strcmp of two 256-byte strings of the payload (the benchmark packet makes them equal, without a NUL). */
#include "bench.h"

#define LEN 256

SEC("xdp")
int strcmp_loop(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    __u8 *a = data + PAYLOAD_OFF;
    __u8 *b = data + PAYLOAD_OFF + LEN;
    for (int i = 0; i < LEN; i++, a++, b++) {
        if (b + 1 > end)
            return -2;
        if (*a != *b)
            return *a < *b ? -1 : 1;
        if (*a == 0)
            return 0;
    }
    return 0;
}

char _license[] SEC("license") = "GPL";
