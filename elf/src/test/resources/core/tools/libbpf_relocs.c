/* Ground truth for CO-RE against a BTF that is not the running kernel's: opens OBJ with libbpf, relocating against
 * TARGET (btf_custom_path), and prints libbpf's debug log. Loading into the kernel follows relocation and may fail
 * (the offsets are the target's, not this kernel's); only the relocation lines matter. Built by ../build.sh. */
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>

static int print(enum libbpf_print_level level, const char *format, va_list args)
{
    return vfprintf(stdout, format, args);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s OBJ TARGET_BTF\n", argv[0]);
        return 2;
    }
    libbpf_set_print(print);
    LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = argv[2]);
    struct bpf_object *obj = bpf_object__open_file(argv[1], &opts);
    if (!obj) {
        fprintf(stdout, "open failed\n");
        return 1;
    }
    int err = bpf_object__load(obj);
    fprintf(stdout, "load result: %d\n", err);
    bpf_object__close(obj);
    return 0;
}
