/* Counts the primes below 256 with a sieve of Eratosthenes in a 256-byte stack array. */
#include "bench.h"

#define N 256

SEC("xdp")
int sieve(struct xdp_md *ctx)
{
    __u8 composite[N];
    __builtin_memset(composite, 0, sizeof(composite));
    int count = 0;
    for (int i = 2; i < N; i++) {
        if (composite[i])
            continue;
        count++;
        for (int j = i * i; j < N; j += i)
            composite[j] = 1;
    }
    return count;
}

char _license[] SEC("license") = "GPL";
