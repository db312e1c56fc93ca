#!/bin/sh
# Rebuilds the benchmark programs into bench's resources (so that benchmarks.jar carries them). Needs clang-19;
# the build and the benchmarks need only the committed objects.
set -eu
cd "$(dirname "$0")"
out=../resources/org/ebpf4j/bench/programs
mkdir -p "$out"
rm -f "$out"/*.o
for src in *.c; do
    # -fdebug-compilation-dir=.: objects must not record where the repository is checked out.
    clang-19 -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -I../../../../fixtures/src \
        -fdebug-compilation-dir=. -mcpu=v3 -c "$src" -o "$out/$(basename "$src" .c).o"
done
