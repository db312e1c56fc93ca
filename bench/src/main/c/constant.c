/* The fixed cost of a run: a program that only returns XDP_PASS, so that what is measured is the test-run loop's own
 * work per run (resetting the invocation, mapping the packet and context, entering the program). */
#include "bench.h"

#define XDP_PASS 2

SEC("xdp")
int constant(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
