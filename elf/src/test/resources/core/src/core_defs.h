/* What every CO-RE fixture needs: SEC(), two helpers, and the relocation kinds written as numbers (LLVM's and
 * libbpf's values), so the fixtures depend on no libbpf header. */
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))
#define CORE __attribute__((preserve_access_index))

static long (*bpf_probe_read_kernel)(void *dst, __u32 size, const void *unsafe_ptr) = (void *)113;
static __u64 (*bpf_get_current_task)(void) = (void *)35;

#define FIELD_BYTE_OFFSET 0
#define FIELD_BYTE_SIZE 1
#define FIELD_EXISTS 2
#define FIELD_SIGNED 3
#define FIELD_LSHIFT_U64 4
#define FIELD_RSHIFT_U64 5
#define TYPE_ID_LOCAL 0
#define TYPE_ID_TARGET 1
#define TYPE_EXISTS 0
#define TYPE_SIZE 1
#define TYPE_MATCHES 2
#define ENUMVAL_EXISTS 0
#define ENUMVAL_VALUE 1

#define field_info(expr, kind) __builtin_preserve_field_info(expr, kind)
#define type_info(type, kind) __builtin_preserve_type_info(*(type *)0, kind)
#define type_id(type, kind) __builtin_btf_type_id(*(type *)0, kind)
#define enum_info(type, value, kind) __builtin_preserve_enum_value(*(type *)value, kind)
/* Reads through a relocated address with bpf_probe_read_kernel, so the offset is the ALU immediate. */
#define PROBE_READ(dst, src) bpf_probe_read_kernel(&(dst), sizeof(dst), __builtin_preserve_access_index(&(src)))
