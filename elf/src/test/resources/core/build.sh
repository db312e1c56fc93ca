#!/bin/sh
# Rebuilds the CO-RE fixtures and records libbpf's relocations as ground truth. Needs clang-19, llvm-19, gcc,
# libbpf-dev, bpftool and root (bpftool loads programs into the kernel); the tests need none of them.
#
#   obj/NAME.o                 src/NAME.c compiled with clang-19 -O2 -g -target bpf
#   obj/target.btf             the .BTF of src/target.c: the stand-in kernel for local.c, ambiguous.c and
#                              ../btf/obj/core.el.o
#   expected/NAME.vmlinux.txt  libbpf's (bpftool -d prog loadall) relocation lines for NAME against this machine's
#                              /sys/kernel/btf/vmlinux, after a header naming the kernel, vmlinux's sha256 and
#                              whether the kernel accepted every program
#   expected/NAME.target.txt   libbpf's relocation lines for NAME against obj/target.btf (tools/libbpf_relocs.c,
#                              libbpf's btf_custom_path)
set -eu
cd "$(dirname "$0")"
rm -rf obj expected
mkdir -p obj expected
for name in kernel local ambiguous ambiguous_size target; do
    clang-19 -O2 -g -fdebug-prefix-map="$(pwd)"=. -target bpfel -I/usr/include/x86_64-linux-gnu \
        -c "src/$name.c" -o "obj/$name.o"
done
llvm-objcopy-19 --dump-section .BTF=obj/target.btf obj/target.o

relocation_lines() {
    grep -E "relo #[0-9]+: (patched insn|substituting insn)|ambiguity|failed to relocate|relo #[0-9]+: .*failed" || true
}

vmlinux_truth() { # NAME OBJECT
    pin="/sys/fs/bpf/ebpf4j-core-$$"
    mount | grep -q ' /sys/fs/bpf ' || mount -t bpf bpf /sys/fs/bpf
    if bpftool -d prog loadall "$2" "$pin" > "obj/$1.vmlinux.log" 2>&1; then loaded=yes; else loaded=no; fi
    rm -rf "$pin"
    {
        echo "# kernel $(uname -r)"
        echo "# vmlinux sha256 $(sha256sum /sys/kernel/btf/vmlinux | cut -d' ' -f1)"
        echo "# loaded $loaded"
        relocation_lines < "obj/$1.vmlinux.log"
    } > "expected/$1.vmlinux.txt"
    rm "obj/$1.vmlinux.log"
}

vmlinux_truth kernel obj/kernel.o
vmlinux_truth core.v3 ../../../../../fixtures/obj/core.v3.o

gcc -O1 -o obj/libbpf_relocs tools/libbpf_relocs.c -lbpf
target_truth() { # NAME OBJECT
    obj/libbpf_relocs "$2" obj/target.btf 2>&1 | relocation_lines > "expected/$1.target.txt"
}
target_truth local obj/local.o
target_truth ambiguous obj/ambiguous.o
target_truth ambiguous_size obj/ambiguous_size.o
target_truth btf-core.el ../btf/obj/core.el.o
rm obj/libbpf_relocs
