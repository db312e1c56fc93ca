/* An interpreter-style dispatch: each of 512 payload bytes selects one of eight operations on an accumulator. */
#include "bench.h"

SEC("xdp")
int switch_dispatch(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    __u64 acc = 1;
    __u8 *p = data + PAYLOAD_OFF;
    for (int i = 0; i < 512; i++, p++) {
        if (p + 1 > end)
            break;
        switch (*p & 7) {
        case 0: acc += i; break;
        case 1: acc ^= acc << 3; break;
        case 2: acc = acc * 31 + 7; break;
        case 3: acc -= *p; break;
        case 4: acc ^= acc >> 11; break;
        case 5: acc |= 0x100; break;
        case 6: acc = (acc << 1) | (acc >> 63); break;
        default: acc += acc >> 2; break;
        }
    }
    return (__u32)(acc ^ (acc >> 32));
}

char _license[] SEC("license") = "GPL";
