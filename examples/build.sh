#!/bin/sh
# Rebuilds the example's BPF object. Needs clang-19 and the kernel's uapi and libbpf headers (linux-libc-dev,
# libbpf-dev); running the example needs neither: the object is committed.
set -eu
cd "$(dirname "$0")"
# -fdebug-compilation-dir=.: the object does not depend on where the checkout is.
clang-19 -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -fdebug-compilation-dir=. -c xdp_stats.c -o xdp_stats.o
