#!/bin/sh
# Rebuilds the BTF fixtures. Needs clang-19, llvm-19 and bpftool; the tests need none of them: they read what this
# script writes.
#
# For every source NAME and byte order E (el = little, eb = big) it writes:
#   obj/NAME.E.o         the object (clang-19 -O2 -g; source paths relative to this directory)
#   obj/NAME.E.btf       its .BTF section, raw
#   obj/NAME.E.btf.ext   its .BTF.ext section, raw
#   expected/NAME.btf.txt      bpftool's raw dump of the .BTF (the same for both byte orders)
#   expected/NAME.E.objdump.txt  llvm-objdump-19 -S -l: each instruction after its source line
set -eu
cd "$(dirname "$0")"
rm -rf obj expected
mkdir -p obj expected
for src in src/*.c; do
    name=$(basename "$src" .c)
    for e in el eb; do
        obj="obj/$name.$e.o"
        clang-19 -O2 -g -fdebug-prefix-map="$(pwd)"=. -target bpf$e -I/usr/include/x86_64-linux-gnu -c "$src" -o "$obj"
        llvm-objcopy-19 --dump-section .BTF="obj/$name.$e.btf" --dump-section .BTF.ext="obj/$name.$e.btf.ext" "$obj"
        llvm-objdump-19 -S --no-show-raw-insn "$obj" > "expected/$name.$e.objdump.txt"
    done
    bpftool btf dump file "obj/$name.el.btf" format raw > "expected/$name.btf.txt"
done
