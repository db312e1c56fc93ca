package org.ebpf4j.spec;

/** The {@code attach_flags} of {@code BPF_PROG_ATTACH} and {@code BPF_LINK_CREATE} (cgroup and mprog hooks). */
public final class AttachFlags {

    /** Cgroups: one program here, which a descendant's program may override. */
    public static final int BPF_F_ALLOW_OVERRIDE = 1 << 0;
    /** Cgroups: several programs here, all of which run. */
    public static final int BPF_F_ALLOW_MULTI = 1 << 1;
    /** Replace the program given by {@code replace_bpf_fd}. */
    public static final int BPF_F_REPLACE = 1 << 2;
    /** Multi-program hooks (tcx, netkit, cgroups): insert before the relative program or link. */
    public static final int BPF_F_BEFORE = 1 << 3;
    /** Multi-program hooks: insert after the relative program or link. */
    public static final int BPF_F_AFTER = 1 << 4;
    /** The relative object is given by id rather than fd. */
    public static final int BPF_F_ID = 1 << 5;
    /** Cgroups: run this program before its ancestors' programs (Linux 6.15). */
    public static final int BPF_F_PREORDER = 1 << 6;
    /** The relative object is a link; the same bit as {@link MapFlags#BPF_F_LINK}. */
    public static final int BPF_F_LINK = MapFlags.BPF_F_LINK;

    private AttachFlags() {
    }
}
