/* What every benchmark program shares: the packet bounds and the layout of the benchmark frame
 * (BenchPacket.java builds it: Ethernet, IPv4, UDP, then PAYLOAD_LEN bytes of payload). */
#ifndef BENCH_H
#define BENCH_H
#include "bpf_defs.h"

#define PAYLOAD_OFF 42
#define PAYLOAD_LEN 982

#define PACKET(ctx, data, end) \
    __u8 *data = (__u8 *)(long)(ctx)->data; \
    __u8 *end = (__u8 *)(long)(ctx)->data_end

#endif
