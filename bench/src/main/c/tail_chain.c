/* A chain of 32 tail calls per run: the entry zeroes a hop counter in the payload and tail-calls hop, which counts
 * itself and tail-calls itself until the counter reaches 32 (the kernel allows 33 tail calls per run). The index is
 * a constant, so the kernel's JIT patches a direct jump, as it does for most real programs. Returns the count. */
#include "bench.h"

int hop(struct xdp_md *ctx);

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __array(values, int (struct xdp_md *));
} chain SEC(".maps") = {
    .values = { [0] = (void *)&hop },
};

#define HOPS 32

SEC("xdp")
int hop(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    if (data + PAYLOAD_OFF + 1 > end)
        return 0;
    __u8 count = data[PAYLOAD_OFF] + 1;
    data[PAYLOAD_OFF] = count;
    if (count < HOPS)
        bpf_tail_call(ctx, &chain, 0);
    return count;
}

SEC("xdp")
int tail_chain(struct xdp_md *ctx)
{
    PACKET(ctx, data, end);
    if (data + PAYLOAD_OFF + 1 > end)
        return 0;
    data[PAYLOAD_OFF] = 0;
    bpf_tail_call(ctx, &chain, 0);
    return 0;
}

char _license[] SEC("license") = "GPL";
