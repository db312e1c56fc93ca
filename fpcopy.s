r6 = r1
call 7
if r0 == 1 goto +1
*(u64 *)(r10 - 8) = r10
call 7
if r0 == 2 goto +1
*(u64 *)(r10 - 16) = r10
call 7
if r0 == 3 goto +1
*(u64 *)(r10 - 24) = r10
call 7
if r0 == 4 goto +1
*(u64 *)(r10 - 32) = r10
call 7
if r0 == 5 goto +1
*(u64 *)(r10 - 40) = r10
call 7
if r0 == 6 goto +1
*(u64 *)(r10 - 48) = r10
call 7
if r0 == 7 goto +1
*(u64 *)(r10 - 56) = r10
call 7
if r0 == 8 goto +1
*(u64 *)(r10 - 64) = r10
call 7
if r0 == 9 goto +1
*(u64 *)(r10 - 72) = r10
call 7
if r0 == 10 goto +1
*(u64 *)(r10 - 80) = r10
call 7
if r0 == 11 goto +1
*(u64 *)(r10 - 88) = r10
call 7
if r0 == 12 goto +1
*(u64 *)(r10 - 96) = r10
call 7
if r0 == 13 goto +1
*(u64 *)(r10 - 104) = r10
call 7
if r0 == 14 goto +1
*(u64 *)(r10 - 112) = r10
call 7
if r0 == 15 goto +1
*(u64 *)(r10 - 120) = r10
call 7
if r0 == 16 goto +1
*(u64 *)(r10 - 128) = r10
r2 = r10
r2 += -16
r1 = *(u64 *)(r2 + 8)
r0 = 0
exit
