/* CRC-32 (IEEE 802.3, bit by bit, no table) of the whole packet, up to 1024 bytes.
 *
 * The polynomial is selected by multiplying it by the low bit, which an empty asm hides from clang: otherwise
 * clang selects it with "x << 31 s>> 31 & poly" (or "-(x & 1) & poly"), and Linux 6.18's verifier oopses on that
 * pattern (a NULL dereference in maybe_fork_scalars) instead of loading or refusing the program. */
#include "bench.h"

SEC("xdp")
int crc32(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    __u32 crc = 0xffffffff;
    __u8 *p = data;
    for (int i = 0; i < 1024; i++, p++) {
        if (p + 1 > end)
            break;
        crc ^= *p;
        for (int k = 0; k < 8; k++) {
            __u32 bit = crc & 1;
            asm volatile("" : "+r"(bit));
            crc = (crc >> 1) ^ (0xedb88320 * bit);
        }
    }
    return ~crc;
}

char _license[] SEC("license") = "GPL";
