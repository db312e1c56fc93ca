/* CO-RE relocations of every kind, plus func_info and line_info across several functions and sections. */
#include <linux/types.h>

#define SEC(name) __attribute__((section(name), used))

struct task {
    int pid;
    int tgid;
    unsigned int flags : 4;
    int prio : 6;
    struct task *parent;
    char comm[16];
} __attribute__((preserve_access_index));

enum state { RUNNING = 0, SLEEPING = 1, STOPPED = 4 };

typedef struct task task_t;

static __attribute__((noinline)) int task_pid(struct task *t)
{
    return t->pid;
}

SEC("tracepoint/sched/sched_switch")
int fields(struct task *t)
{
    int r = t->tgid;                                              /* FIELD_BYTE_OFFSET */
    r += t->parent->pid;                                          /* nested access */
    r += t->comm[3];                                              /* array element */
    r += __builtin_preserve_field_info(t->flags, 1);              /* FIELD_BYTE_SIZE */
    r += __builtin_preserve_field_info(t->prio, 2);               /* FIELD_EXISTS */
    r += __builtin_preserve_field_info(t->prio, 3);               /* FIELD_SIGNED */
    r += __builtin_preserve_field_info(t->prio, 4);               /* FIELD_LSHIFT_U64 */
    r += __builtin_preserve_field_info(t->prio, 5);               /* FIELD_RSHIFT_U64 */
    return r + task_pid(t);
}

SEC("kprobe/types")
int types(void *ctx)
{
    int r = __builtin_preserve_type_info(*(struct task *)0, 0);   /* TYPE_EXISTS */
    r += __builtin_preserve_type_info(*(task_t *)0, 1);           /* TYPE_SIZE */
    r += __builtin_preserve_type_info(*(struct task *)0, 2);      /* TYPE_MATCHES */
    r += __builtin_btf_type_id(*(struct task *)0, 0);             /* TYPE_ID_LOCAL */
    r += __builtin_btf_type_id(*(struct task *)0, 1);             /* TYPE_ID_TARGET */
    r += __builtin_preserve_enum_value(*(enum state *)STOPPED, 0);  /* ENUMVAL_EXISTS */
    r += __builtin_preserve_enum_value(*(enum state *)SLEEPING, 1); /* ENUMVAL_VALUE */
    return r;
}

char _license[] SEC("license") = "GPL";
