/* Not a program: the "target" whose BTF (obj/target.btf) stands in for a kernel on machines without
 * /sys/kernel/btf/vmlinux. Its types differ from the local declarations in local.c and ../btf/src/core.c on
 * purpose: fields moved, wrapped in anonymous structs and unions, widened, narrowed and flavoured. */
#include <linux/types.h>

typedef int pid_t;
typedef unsigned int u32;

struct inner {
    long a;
    int b;
};

struct mm_struct;

struct task_struct {
    long state;
    union {
        unsigned int flags;
        unsigned int flags_alias;
    };
    struct {
        pid_t pid;
        pid_t tgid;
    };
    unsigned int prio : 5;
    int nice : 7;
    unsigned long long big : 40;
    char comm[32];
    struct inner in[4];
    struct task_struct *parent;
    struct mm_struct *mm;
    u32 narrow;
    int signed_narrow;
    int tail[];
};

/* Two flavours of one type that agree on what local.c reads (uid's offset, the size); ambiguous_size.c reads
 * where they disagree. */
struct cred___v1 {
    int uid;
    int gid;
};

struct cred___v2 {
    int uid;
    unsigned int gid;
    long extra[0];
};

struct cred_size___v1 {
    int uid;
};

struct cred_size___v2 {
    long uid;
};

/* Two flavours that disagree on where y is: ambiguous.c cannot be relocated. */
struct amb___a {
    int x;
    int y;
};

struct amb___b {
    int y;
    int x;
};

struct list_head {
    struct list_head *next;
    struct list_head *prev;
};

enum state___target {
    S_RUNNING = 10,
    S_SLEEPING = 20,
    S_NEW = 30,
};

enum big_values {
    BIG_SMALL = 7,
    BIG_LARGE = 0x1234567890ULL,
};

/* The layout ../btf/src/core.c's struct task is relocated to. */
struct task {
    long pad[3];
    char comm[8];
    int tgid;
    int pid;
    int prio : 11;
    unsigned int flags : 9;
    struct task *parent;
};

enum state {
    STOPPED = 3,
    RUNNING = 5,
};

/* Variables make clang emit every type above. */
struct task_struct task_anchor;
struct cred___v1 cred1_anchor;
struct cred___v2 cred2_anchor;
struct list_head list_anchor;
enum state___target state_anchor;
enum big_values big_anchor;
struct task task2_anchor;
enum state state2_anchor;
struct amb___a amb_a_anchor;
struct cred_size___v1 cred_size1_anchor;
struct cred_size___v2 cred_size2_anchor;
struct amb___b amb_b_anchor;
