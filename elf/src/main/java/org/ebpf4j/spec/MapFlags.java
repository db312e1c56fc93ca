package org.ebpf4j.spec;

/**
 * Map creation flags ({@code map_flags} of {@code BPF_MAP_CREATE} and of BTF map definitions), as the uapi's
 * anonymous enum defines them; values checked against the Linux 6.18 kernel's BTF.
 */
public final class MapFlags {

    /** Hash maps: allocate elements on update instead of preallocating {@code max_entries} of them. */
    public static final int BPF_F_NO_PREALLOC = 1 << 0;
    /** LRU maps: one LRU list per CPU instead of a common one. */
    public static final int BPF_F_NO_COMMON_LRU = 1 << 1;
    /** {@code numa_node} is valid. */
    public static final int BPF_F_NUMA_NODE = 1 << 2;
    /** User space may only read (also a file-mode flag for {@code BPF_OBJ_GET} and fd lookups). */
    public static final int BPF_F_RDONLY = 1 << 3;
    /** User space may only write. */
    public static final int BPF_F_WRONLY = 1 << 4;
    /** Stack-trace maps: store build id + offset instead of addresses. */
    public static final int BPF_F_STACK_BUILD_ID = 1 << 5;
    /** Hash maps: zero hash seed (for tests only). */
    public static final int BPF_F_ZERO_SEED = 1 << 6;
    /** Programs may only read. */
    public static final int BPF_F_RDONLY_PROG = 1 << 7;
    /** Programs may only write. */
    public static final int BPF_F_WRONLY_PROG = 1 << 8;
    /** Storage maps: clone the value into a new socket on {@code accept}. */
    public static final int BPF_F_CLONE = 1 << 9;
    /** Array maps: the value area can be mmap()ed. */
    public static final int BPF_F_MMAPABLE = 1 << 10;
    /** Perf event arrays: keep elements when the map's file is closed. */
    public static final int BPF_F_PRESERVE_ELEMS = 1 << 11;
    /** Map-in-map templates: inner maps may differ in {@code max_entries}. */
    public static final int BPF_F_INNER_MAP = 1 << 12;
    /** Create a link (struct_ops maps) rather than attach directly; also {@code BPF_F_LINK} of attach flags. */
    public static final int BPF_F_LINK = 1 << 13;
    /** {@code BPF_OBJ_PIN}/{@code BPF_OBJ_GET}: the path is relative to {@code path_fd}. */
    public static final int BPF_F_PATH_FD = 1 << 14;
    /** {@code value_type_btf_obj_fd} is valid (struct_ops values from module BTF). */
    public static final int BPF_F_VTYPE_BTF_OBJ_FD = 1 << 15;
    /** A BPF token fd accompanies the command (maps, programs and BTF alike). */
    public static final int BPF_F_TOKEN_FD = 1 << 16;
    /** Arena maps: fault (SIGSEGV) on user access to an unallocated page. */
    public static final int BPF_F_SEGV_ON_FAULT = 1 << 17;
    /** Arena maps: do not convert user-space addresses to arena addresses. */
    public static final int BPF_F_NO_USER_CONV = 1 << 18;

    private MapFlags() {
    }
}
