/* Every BTF kind that clang emits: the fixture for the raw-dump comparison with bpftool. */
#include <linux/types.h>
#include <linux/bpf.h>

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __user __attribute__((btf_type_tag("user")))
#define __rcu __attribute__((btf_type_tag("rcu")))

typedef unsigned int u32_t;
typedef u32_t counter_t;            /* a typedef chain */
typedef const volatile counter_t cv_counter_t;

enum color { RED, GREEN = 5, BLUE = -3 };            /* signed enum */
enum flags : unsigned char { F_A = 1, F_B = 2 };     /* unsigned, 1 byte */
enum big { BIG_SMALL = 1, BIG_HUGE = 0x123456789abcULL, BIG_TOP = 0xffffffffffffffffULL }; /* ENUM64 unsigned */
enum sbig { SBIG_NEG = -0x100000000LL, SBIG_POS = 7 };   /* ENUM64 signed */

struct bits {
    unsigned int a : 3;
    int b : 5;
    unsigned long long c : 40;
    char d;
    unsigned short e : 9;
} __tag("bits_struct");

union number {
    int i;
    float f;
    double d;
    unsigned char raw[8];
};

struct node;                         /* forward, only used through a pointer */
union opaque;

typedef int (*callback_t)(struct node *n, const char *name, ...);

struct node {
    struct node *next;
    union opaque *payload;
    callback_t cb;
    int matrix[3][4];                /* array of arrays */
    const volatile int *restrict cv;
    int __user *uptr;
    struct bits bits;
    union number num;
    enum color color __tag("member_tag");
    long double ld;
    _Bool flag;
    __int128 wide;
    struct {
        int x, y;
    } anon;
    union {
        long l;
        char c;
    };
    char tail[];
};

struct node global_node;                          /* .bss */
int counter = 42;                                 /* .data */
const volatile int config __tag("cfg") = 7;       /* .rodata */
static int local_state;
char buffer[16] SEC(".data.extra");
enum big big_value = BIG_HUGE;
enum sbig sbig_value = SBIG_NEG;
enum flags flags_value = F_B;
counter_t chained;
cv_counter_t cv_chain = 3;
struct bits bits_value;
union number num_value;
int *__rcu rcu_ptr;

extern int bpf_extern_fn(int x) __attribute__((section(".ksyms")));   /* FUNC, linkage extern */
extern unsigned int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));  /* VAR, linkage extern */

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, struct node);
} nodes SEC(".maps");

static __attribute__((noinline)) int helper(int x __tag("param_tag"), struct node *n) __tag("func_tag")
{
    return x + n->matrix[1][2] + local_state;
}

__attribute__((noinline)) int global_func(struct bits *b)
{
    return b->a + b->b;
}

SEC("xdp")
int prog(struct xdp_md *ctx)
{
    int key = 0;
    struct node *n = (struct node *)(long)ctx->data;
    local_state++;
    buffer[0] = (char)counter;
    if (!n)
        return 0;
    return helper(config, &global_node) + global_func(&bits_value) + (int)big_value + (int)sbig_value
        + flags_value + chained + cv_chain + num_value.i + (rcu_ptr ? 1 : 0) + key
        + bpf_extern_fn(1) + LINUX_KERNEL_VERSION;
}

char _license[] SEC("license") = "GPL";
