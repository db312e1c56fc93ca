/* CO-RE against target.c's types (obj/target.btf), every kind and every instruction form: ALU immediates,
 * lddw immediates, and load offsets whose width changes (unsigned, safely) or cannot (signed: poisoned). */
#include "core_defs.h"

struct inner {
    long a;
    int b;
} CORE;

struct mm_struct {
    long start;
} CORE;

struct task_struct {
    int pid;
    int tgid;
    unsigned int flags;
    unsigned int prio : 3;
    int nice : 4;
    unsigned long long big : 40;
    char comm[16];
    struct inner in[2];
    struct task_struct *parent;
    struct mm_struct *mm;
    unsigned long long narrow;
    long long signed_narrow;
    int missing;
    int tail[];
} CORE;

struct cred {
    int uid;
} CORE;

struct list_head {
    struct list_head *next;
    struct list_head *prev;
};

struct absent {
    int x;
};

enum state {
    S_RUNNING = 1,
    S_SLEEPING = 2,
    S_GONE = 3,
};

enum big_values___local {
    BIG_SMALL = 1,
    BIG_LARGE = 2,
};

SEC("kprobe/local_fields")
int fields(void *ctx)
{
    struct task_struct *t = (void *)bpf_get_current_task();
    struct cred *c = 0;
    int pid = 0, tgid = 0, b = 0, uid = 0, tail = 0;
    char ch = 0;
    PROBE_READ(pid, t->pid);
    PROBE_READ(tgid, t->parent->tgid);
    PROBE_READ(ch, t->comm[9]);
    PROBE_READ(b, t->in[1].b);
    PROBE_READ(uid, c->uid);
    PROBE_READ(tail, t->tail[5]);
    return pid + tgid + ch + b + uid + tail;
}

SEC("kprobe/local_field_info")
int field_infos(void *ctx)
{
    struct task_struct *t = 0;
    __u64 r = 0;
    r += field_info(t->flags, FIELD_BYTE_OFFSET);
    r += field_info(t->prio, FIELD_BYTE_OFFSET) << 1;
    r += field_info(t->prio, FIELD_BYTE_SIZE) << 2;
    r += field_info(t->prio, FIELD_LSHIFT_U64) << 3;
    r += field_info(t->prio, FIELD_RSHIFT_U64) << 4;
    r += field_info(t->prio, FIELD_SIGNED) << 5;
    r += field_info(t->nice, FIELD_SIGNED) << 6;
    r += field_info(t->nice, FIELD_LSHIFT_U64) << 7;
    r += field_info(t->nice, FIELD_RSHIFT_U64) << 8;
    r += field_info(t->big, FIELD_BYTE_OFFSET) << 9;
    r += field_info(t->big, FIELD_BYTE_SIZE) << 10;
    r += field_info(t->big, FIELD_LSHIFT_U64) << 11;
    r += field_info(t->comm, FIELD_BYTE_SIZE) << 12;
    r += field_info(t->in[1], FIELD_BYTE_OFFSET) << 13;
    r += field_info(t->in[1], FIELD_BYTE_SIZE) << 14;
    r += field_info(t->missing, FIELD_EXISTS) << 15;
    r += field_info(t->mm, FIELD_EXISTS) << 16;
    r += field_info(t->narrow, FIELD_BYTE_SIZE) << 17;
    return r;
}

SEC("kprobe/local_loads")
int loads(void *ctx)
{
    struct task_struct *t = (void *)bpf_get_current_task();
    __u64 r = t->narrow;
    r += t->signed_narrow;
    r += t->flags;
    if (field_info(t->missing, FIELD_EXISTS))
        r += t->missing;
    return r;
}

SEC("kprobe/local_types")
int type_infos(void *ctx)
{
    __u64 r = 0;
    r += type_id(struct task_struct, TYPE_ID_LOCAL);
    r += type_id(struct task_struct, TYPE_ID_TARGET) << 1;
    r += type_id(struct absent, TYPE_ID_TARGET) << 2;
    r += type_info(struct task_struct, TYPE_EXISTS) << 3;
    r += type_info(struct absent, TYPE_EXISTS) << 4;
    r += type_info(struct task_struct, TYPE_SIZE) << 5;
    r += type_info(struct cred, TYPE_SIZE) << 6;
    r += type_info(struct list_head, TYPE_MATCHES) << 7;
    r += type_info(struct task_struct, TYPE_MATCHES) << 8;
    r += type_info(enum state, TYPE_EXISTS) << 9;
    return r;
}

SEC("kprobe/local_enums")
int enums(void *ctx)
{
    __u64 r = 0;
    r += enum_info(enum state, S_SLEEPING, ENUMVAL_VALUE);
    r += enum_info(enum state, S_GONE, ENUMVAL_EXISTS) << 1;
    r += enum_info(enum state, S_RUNNING, ENUMVAL_EXISTS) << 2;
    r += enum_info(enum big_values___local, BIG_LARGE, ENUMVAL_VALUE) << 3;
    r += enum_info(enum big_values___local, BIG_SMALL, ENUMVAL_VALUE) << 4;
    r += enum_info(enum state, S_GONE, ENUMVAL_VALUE) << 5;
    return r;
}

char _license[] SEC("license") = "GPL";
