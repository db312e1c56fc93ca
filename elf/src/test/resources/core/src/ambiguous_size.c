/* target.c has struct cred_size___v1 and cred_size___v2 of different sizes: TYPE_SIZE cannot be relocated
 * (libbpf: "relocation decision ambiguity"). */
#include "core_defs.h"

struct cred_size {
    int uid;
};

SEC("kprobe/ambiguous_size")
int ambiguous_size(void *ctx)
{
    return type_info(struct cred_size, TYPE_SIZE);
}

char _license[] SEC("license") = "GPL";
