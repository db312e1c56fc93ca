r6 = r1
call 7
if r0 == 1 goto +1
*(u64 *)(r10 - 8) = r6
call 7
if r0 == 2 goto +1
*(u64 *)(r10 - 16) = r6
call 7
if r0 == 3 goto +1
*(u64 *)(r10 - 24) = r6
call 7
if r0 == 4 goto +1
*(u64 *)(r10 - 32) = r6
call 7
if r0 == 5 goto +1
*(u64 *)(r10 - 40) = r6
call 7
if r0 == 6 goto +1
*(u64 *)(r10 - 48) = r6
call 7
if r0 == 7 goto +1
*(u64 *)(r10 - 56) = r6
call 7
if r0 == 8 goto +1
*(u64 *)(r10 - 64) = r6
call 7
if r0 == 9 goto +1
*(u64 *)(r10 - 72) = r6
call 7
if r0 == 10 goto +1
*(u64 *)(r10 - 80) = r6
call 7
if r0 == 11 goto +1
*(u64 *)(r10 - 88) = r6
call 7
if r0 == 12 goto +1
*(u64 *)(r10 - 96) = r6
call 7
if r0 == 13 goto +1
*(u64 *)(r10 - 104) = r6
call 7
if r0 == 14 goto +1
*(u64 *)(r10 - 112) = r6
call 7
if r0 == 15 goto +1
*(u64 *)(r10 - 120) = r6
call 7
if r0 == 16 goto +1
*(u64 *)(r10 - 128) = r6
call 7
if r0 == 17 goto +1
*(u64 *)(r10 - 136) = r6
call 7
if r0 == 18 goto +1
*(u64 *)(r10 - 144) = r6
call 7
if r0 == 19 goto +1
*(u64 *)(r10 - 152) = r6
call 7
if r0 == 20 goto +1
*(u64 *)(r10 - 160) = r6
call 7
if r0 == 21 goto +1
*(u64 *)(r10 - 168) = r6
call 7
if r0 == 22 goto +1
*(u64 *)(r10 - 176) = r6
call 7
if r0 == 23 goto +1
*(u64 *)(r10 - 184) = r6
call 7
if r0 == 24 goto +1
*(u64 *)(r10 - 192) = r6
call 7
if r0 == 25 goto +1
*(u64 *)(r10 - 200) = r6
call 7
if r0 == 26 goto +1
*(u64 *)(r10 - 208) = r6
call 7
if r0 == 27 goto +1
*(u64 *)(r10 - 216) = r6
call 7
if r0 == 28 goto +1
*(u64 *)(r10 - 224) = r6
call 7
if r0 == 29 goto +1
*(u64 *)(r10 - 232) = r6
call 7
if r0 == 30 goto +1
*(u64 *)(r10 - 240) = r6
call 7
if r0 == 31 goto +1
*(u64 *)(r10 - 248) = r6
call 7
if r0 == 32 goto +1
*(u64 *)(r10 - 256) = r6
call 7
if r0 == 33 goto +1
*(u64 *)(r10 - 264) = r6
call 7
if r0 == 34 goto +1
*(u64 *)(r10 - 272) = r6
call 7
if r0 == 35 goto +1
*(u64 *)(r10 - 280) = r6
call 7
if r0 == 36 goto +1
*(u64 *)(r10 - 288) = r6
call 7
if r0 == 37 goto +1
*(u64 *)(r10 - 296) = r6
call 7
if r0 == 38 goto +1
*(u64 *)(r10 - 304) = r6
call 7
if r0 == 39 goto +1
*(u64 *)(r10 - 312) = r6
call 7
if r0 == 40 goto +1
*(u64 *)(r10 - 320) = r6
r0 = 0
exit
