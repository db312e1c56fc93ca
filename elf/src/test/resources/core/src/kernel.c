/* CO-RE against the running kernel's own types (/sys/kernel/btf/vmlinux): the local declarations below are partial,
 * reordered or flavoured on purpose, so every value changes in relocation. build.sh loads this object with bpftool
 * (libbpf) and records what libbpf patched; the kernel's verifier must accept every program. */
#include "core_defs.h"

struct mm_struct {
    unsigned long start_code;
    unsigned long end_code;
} CORE;

struct task_struct {
    int pid;
    int tgid;
    unsigned int flags;
    int prio;
    char comm[16];
    struct task_struct *real_parent;
    struct mm_struct *mm;
    unsigned int in_execve : 1;
    unsigned int sched_reset_on_fork : 1;
} CORE;

/* A flavour: libbpf matches it to struct task_struct by its essential name. Fields of other widths than the kernel's,
 * and one the kernel does not have. */
struct task_struct___wide {
    unsigned long long flags;
    long long prio;
    int no_such_field;
} CORE;

struct sk_buff {
    unsigned int len;
    __u8 cloned : 1;
    __u8 pkt_type : 3;
    __u32 mark;
    __be16 protocol;
    char cb[48];
} CORE;

struct list_head {
    struct list_head *next;
    struct list_head *prev;
};

/* Same name as a kernel type, different member types: exists, but does not match. */
struct rb_node {
    int rb_parent_color;
};

/* No kernel has it. */
struct ebpf4j_absent_type {
    int x;
};

/* Enumerators with a flavour: matched by essential name to enum bpf_func_id's. */
enum bpf_func_id___local {
    BPF_FUNC_map_lookup_elem___local = 100,
    BPF_FUNC_ktime_get_ns___local = 200,
    BPF_FUNC_ebpf4j_no_such_helper___local = 300,
};

enum perf_callchain_context {
    PERF_CONTEXT_HV = 1,
    PERF_CONTEXT_KERNEL = 2,
};

/* Field offsets through bpf_probe_read_kernel: the ALU immediates of address arithmetic. */
SEC("kprobe/ebpf4j_fields")
int probe_fields(void *ctx)
{
    struct task_struct *t = (void *)bpf_get_current_task();
    struct task_struct *parent = 0;
    struct mm_struct *mm = 0;
    int pid = 0, tgid = 0;
    unsigned long code = 0;
    char c = 0;
    PROBE_READ(pid, t->pid);
    PROBE_READ(parent, t->real_parent);
    PROBE_READ(tgid, parent->tgid);
    PROBE_READ(mm, t->mm);
    PROBE_READ(code, mm->end_code);
    PROBE_READ(c, t->comm[3]);
    return pid + tgid + (int)code + c;
}

/* Every field kind on whole fields and on bitfields, in the kernel's struct sk_buff (whose fields sit inside
 * anonymous unions and structs there) and struct task_struct. */
SEC("kprobe/ebpf4j_field_info")
int probe_field_info(void *ctx)
{
    struct sk_buff *skb = 0;
    struct task_struct *t = 0;
    struct task_struct___wide *w = 0;
    __u64 r = 0;
    r += field_info(skb->len, FIELD_BYTE_OFFSET);
    r += field_info(skb->mark, FIELD_BYTE_OFFSET) << 1;
    r += field_info(skb->protocol, FIELD_BYTE_SIZE) << 2;
    r += field_info(skb->cb[5], FIELD_BYTE_OFFSET) << 3;
    r += field_info(skb->pkt_type, FIELD_BYTE_OFFSET) << 4;
    r += field_info(skb->pkt_type, FIELD_BYTE_SIZE) << 5;
    r += field_info(skb->pkt_type, FIELD_LSHIFT_U64) << 6;
    r += field_info(skb->pkt_type, FIELD_RSHIFT_U64) << 7;
    r += field_info(skb->pkt_type, FIELD_SIGNED) << 8;
    r += field_info(skb->cloned, FIELD_LSHIFT_U64) << 9;
    r += field_info(t->sched_reset_on_fork, FIELD_BYTE_OFFSET) << 10;
    r += field_info(t->sched_reset_on_fork, FIELD_LSHIFT_U64) << 11;
    r += field_info(t->in_execve, FIELD_LSHIFT_U64) << 12;
    r += field_info(t->prio, FIELD_SIGNED) << 13;
    r += field_info(t->flags, FIELD_SIGNED) << 14;
    r += field_info(w->prio, FIELD_BYTE_SIZE) << 15;
    r += field_info(w->no_such_field, FIELD_EXISTS) << 16;
    r += field_info(t->mm, FIELD_EXISTS) << 17;
    r += field_info(t->comm, FIELD_BYTE_SIZE) << 18;
    return r;
}

/* A field the kernel lacks, read only where existence says it is there: the read is poisoned, and dead. */
SEC("kprobe/ebpf4j_guarded")
int probe_guarded(void *ctx)
{
    struct task_struct___wide *w = (void *)bpf_get_current_task();
    int v = 0;
    if (field_info(w->no_such_field, FIELD_EXISTS))
        PROBE_READ(v, w->no_such_field);
    return v;
}

/* Type kinds: ids (lddw), existence, size and match, of present and absent types. */
SEC("kprobe/ebpf4j_types")
int probe_types(void *ctx)
{
    __u64 r = 0;
    r += type_id(struct task_struct, TYPE_ID_LOCAL);
    r += type_id(struct task_struct, TYPE_ID_TARGET) << 1;
    r += type_id(struct ebpf4j_absent_type, TYPE_ID_TARGET) << 2;
    r += type_info(struct task_struct, TYPE_EXISTS) << 3;
    r += type_info(struct ebpf4j_absent_type, TYPE_EXISTS) << 4;
    r += type_info(struct task_struct, TYPE_SIZE) << 5;
    r += type_info(struct ebpf4j_absent_type, TYPE_SIZE) << 6;
    r += type_info(struct mm_struct, TYPE_SIZE) << 7;
    r += type_info(struct list_head, TYPE_MATCHES) << 8;
    r += type_info(struct rb_node, TYPE_MATCHES) << 9;
    r += type_info(struct rb_node, TYPE_EXISTS) << 10;
    return r;
}

/* Enum kinds: values of enum bpf_func_id (32-bit) and of an ENUM64, existence of a missing enumerator. */
SEC("kprobe/ebpf4j_enums")
int probe_enums(void *ctx)
{
    __u64 r = 0;
    r += enum_info(enum bpf_func_id___local, BPF_FUNC_map_lookup_elem___local, ENUMVAL_VALUE);
    r += enum_info(enum bpf_func_id___local, BPF_FUNC_ktime_get_ns___local, ENUMVAL_VALUE) << 1;
    r += enum_info(enum bpf_func_id___local, BPF_FUNC_ktime_get_ns___local, ENUMVAL_EXISTS) << 2;
    r += enum_info(enum bpf_func_id___local, BPF_FUNC_ebpf4j_no_such_helper___local, ENUMVAL_EXISTS) << 3;
    r += enum_info(enum perf_callchain_context, PERF_CONTEXT_KERNEL, ENUMVAL_VALUE) << 4;
    if (enum_info(enum bpf_func_id___local, BPF_FUNC_ebpf4j_no_such_helper___local, ENUMVAL_EXISTS))
        r += enum_info(enum bpf_func_id___local, BPF_FUNC_ebpf4j_no_such_helper___local, ENUMVAL_VALUE);
    return r;
}

/* Direct loads through a BTF pointer (tp_btf): the LDX offset is relocated, and its width too where the kernel's
 * field is narrower and unsigned; a signed field of another width is poisoned, behind a check the verifier proves
 * false. The kernel's verifier checks each load against vmlinux's BTF. */
SEC("tp_btf/sched_switch")
int btf_loads(__u64 *ctx)
{
    struct task_struct *prev = (void *)ctx[1];
    struct task_struct___wide *wide = (void *)ctx[1];
    __u64 r = prev->pid;
    r += prev->real_parent->tgid;
    r += wide->flags;
    if (type_info(struct ebpf4j_absent_type, TYPE_EXISTS))
        r += wide->prio;
    return r;
}

char _license[] SEC("license") = "GPL";
