/* target.c has struct amb___a and struct amb___b, which put y at different offsets: no loader can know which one
 * this program means, so relocation fails (libbpf: "field offset ambiguity"). */
#include "core_defs.h"

struct amb {
    int y;
} CORE;

SEC("kprobe/ambiguous")
int ambiguous(void *ctx)
{
    struct amb *a = (void *)bpf_get_current_task();
    int y = 0;
    PROBE_READ(y, a->y);
    return y;
}

char _license[] SEC("license") = "GPL";
